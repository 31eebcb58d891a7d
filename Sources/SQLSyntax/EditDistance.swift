/// Levenshtein distance over bytes, for "did you mean" hints. Inputs are short (keywords, identifiers).
enum EditDistance {
    static func between(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }

    /// The candidate closest to `word` if it is close enough to be a plausible typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let wordBytes = Array(word.utf8)
        guard wordBytes.count >= 2, wordBytes.count <= 40 else { return nil }
        let limit = wordBytes.count <= 4 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = between(wordBytes, Array(candidate.utf8))
            if distance <= limit && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }
}
