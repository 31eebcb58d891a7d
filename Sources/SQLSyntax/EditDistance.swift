/// Edit distance over bytes (optimal string alignment: insertions, deletions, substitutions and swaps of
/// adjacent bytes each cost 1), for "did you mean" hints. Inputs are short (keywords, identifiers).
public enum EditDistance {
    public static func between(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        let width = rhs.count + 1
        var table = [Int](repeating: 0, count: (lhs.count + 1) * width)
        for j in 0...rhs.count { table[j] = j }
        for i in 1...lhs.count {
            table[i * width] = i
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                var best = min(
                    table[(i - 1) * width + j - 1] + cost, table[(i - 1) * width + j] + 1,
                    table[i * width + j - 1] + 1)
                if i > 1 && j > 1 && lhs[i - 1] == rhs[j - 2] && lhs[i - 2] == rhs[j - 1] {
                    best = min(best, table[(i - 2) * width + j - 2] + 1)
                }
                table[i * width + j] = best
            }
        }
        return table[lhs.count * width + rhs.count]
    }

    /// The candidate closest to `word` if it is close enough to be a plausible typo (the binder uses this too,
    /// for unknown stream, column and function names).
    public static func closest(to word: String, among candidates: [String]) -> String? {
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
