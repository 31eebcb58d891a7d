/// Keyword lookup straight from source bytes, without building a String: an open-addressing hash table over
/// FNV-1a hashes of the upper-cased spelling. The lexer calls it for every word, so it is on the hot path.
enum KeywordTable {
    static let keywords = Keyword.allCases
    static let spellings: [[UInt8]] = keywords.map { Array($0.rawValue.utf8) }
    static let mask = 511
    /// Index into `keywords`, or -1 for an empty slot.
    static let slots: [Int16] = {
        var slots = [Int16](repeating: -1, count: mask + 1)
        for (index, spelling) in spellings.enumerated() {
            var slot = hash(spelling) & mask
            while slots[slot] != -1 { slot = (slot + 1) & mask }
            slots[slot] = Int16(index)
        }
        return slots
    }()

    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Int {
        var value: UInt32 = 2_166_136_261
        for byte in bytes { value = (value ^ UInt32(Lexer.upperCased(byte))) &* 16_777_619 }
        return Int(value)
    }

    /// The keyword spelled by `bytes[range]` in any letter case.
    static func lookup(_ bytes: [UInt8], _ range: Range<Int>) -> Keyword? {
        var slot = hash(bytes[range]) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if matches(spellings[index], bytes, range) { return keywords[index] }
            slot = (slot + 1) & mask
        }
    }

    private static func matches(_ spelling: [UInt8], _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard spelling.count == range.count else { return false }
        var position = range.lowerBound
        for expected in spelling {
            if Lexer.upperCased(bytes[position]) != expected { return false }
            position += 1
        }
        return true
    }
}
