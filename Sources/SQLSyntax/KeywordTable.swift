/// Keyword lookup straight from source bytes, without building a String: an open-addressing hash table over
/// FNV-1a hashes of the upper-cased spelling. The lexer calls it for every word, so it is on the hot path: the
/// table is one object whose spellings sit in one flat byte array, and lookups read it through pointers.
enum KeywordTable {
    static let mask = 511

    final class Table: Sendable {
        let keywords: [Keyword]
        /// All spellings, upper-case, back to back; `starts[i]..<starts[i + 1]` is keyword i's.
        let spellings: [UInt8]
        let starts: [Int32]
        /// Index into `keywords`, or -1 for an empty slot.
        let slots: [Int16]

        init() {
            keywords = Keyword.allCases
            var spellings: [UInt8] = []
            var starts: [Int32] = [0]
            var slots = [Int16](repeating: -1, count: KeywordTable.mask + 1)
            for (index, keyword) in keywords.enumerated() {
                let spelling = Array(keyword.rawValue.utf8)
                spellings += spelling
                starts.append(Int32(spellings.count))
                var slot = spelling.withUnsafeBufferPointer(KeywordTable.hash) & KeywordTable.mask
                while slots[slot] != -1 { slot = (slot + 1) & KeywordTable.mask }
                slots[slot] = Int16(index)
            }
            self.spellings = spellings
            self.starts = starts
            self.slots = slots
        }
    }

    static let table = Table()

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var value: UInt32 = 2_166_136_261
        for byte in bytes { value = (value ^ UInt32(Lexer.upperCased(byte))) &* 16_777_619 }
        return Int(value)
    }

    static func lookup(_ bytes: [UInt8], _ range: Range<Int>) -> Keyword? {
        bytes.withUnsafeBufferPointer { lookup(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The keyword spelt `word` in any case, if there is one.
    static func lookup(_ word: UnsafeBufferPointer<UInt8>) -> Keyword? {
        let table = Self.table
        var slot = hash(word) & mask
        return table.spellings.withUnsafeBufferPointer { spellings in
            table.starts.withUnsafeBufferPointer { starts in
                table.slots.withUnsafeBufferPointer { slots in
                    while true {
                        let index = Int(slots[slot])
                        if index < 0 { return nil }
                        let start = Int(starts[index])
                        if Int(starts[index + 1]) - start == word.count {
                            var equal = true
                            for i in 0..<word.count where Lexer.upperCased(word[i]) != spellings[start + i] {
                                equal = false
                                break
                            }
                            if equal { return table.keywords[index] }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }
}
