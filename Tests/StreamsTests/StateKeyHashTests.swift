import Testing

@testable import Streams

/// `StateKey` hashes with its own seeded mixer (`_rawHashValue`). Equal keys must hash alike; keys differing in any
/// byte, including past the 16 kept inline, should not; and no second word may make the first word irrelevant.
@Suite struct StateKeyHashTests {
    static func key(_ bytes: [UInt8]) -> StateKey { StateKey(bytes) }

    @Test func equalKeysHashAlikeAndEveryByteCounts() {
        let seed = 0x1234_5678
        let base: [UInt8] = Array(0..<40)
        #expect(Self.key(base)._rawHashValue(seed: seed) == Self.key(Array(base))._rawHashValue(seed: seed))
        for length in [1, 8, 9, 16, 17, 24, 33, 40] {
            let prefix = Array(base.prefix(length))
            let hash = Self.key(prefix)._rawHashValue(seed: seed)
            for position in 0..<length {
                var changed = prefix
                changed[position] ^= 0x01
                #expect(Self.key(changed)._rawHashValue(seed: seed) != hash, "length \(length), byte \(position)")
            }
        }
        // Same bytes, different length (zero padding is not the same key).
        #expect(Self.key([1, 2, 3])._rawHashValue(seed: seed) != Self.key([1, 2, 3, 0])._rawHashValue(seed: seed))
    }

    /// Whatever the second word (including the values that zero a mixing step's input), keys that differ in their
    /// first word hash apart.
    @Test func noSecondWordCollapsesTheFirst() {
        for second: UInt64 in [0, 0x5899_65CC_7537_4CC3, 0xE703_7ED1_A0B4_28DB, 0x1D8E_4E27_C47D_124F, .max] {
            var hashes: Set<Int> = []
            for first in 0..<1_000 as Range<UInt64> {
                var bytes: [UInt8] = []
                withUnsafeBytes(of: first.littleEndian) { bytes += $0 }
                withUnsafeBytes(of: second.littleEndian) { bytes += $0 }
                hashes.insert(Self.key(bytes)._rawHashValue(seed: 0))
            }
            #expect(hashes.count == 1_000, "second word \(second)")
        }
    }
}
