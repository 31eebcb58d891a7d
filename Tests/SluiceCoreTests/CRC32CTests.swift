import CCRC32C
import Testing

@testable import SluiceCore

@Suite struct CRC32CTests {
    // Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// Every path against the portable tables: the dispatching entry point (carry-less folding for inputs of 256
    /// bytes and more where the CPU has AVX-512 with VPCLMULQDQ) and the crc32 instruction's three chains.
    @Test(arguments: [0, 1, 5, 8])
    func everyPathMatchesPortableAtEveryLengthAndAlignment(start: Int) {
        var random = SeededRandom(seed: 7)
        let bytes = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        // Around the folding thresholds (256 bytes, then 64-byte steps), the three-chain thresholds (3 × 256 and
        // 3 × 2048 bytes), and a 16 KiB batch's CRC span.
        var lengths = Array(0...600)
        lengths += [767, 768, 769, 1000, 4000, 6143, 6144, 6145, 16_363, 19_990]
        bytes.withUnsafeBytes { all in
            for length in lengths where start + length <= all.count {
                let slice = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
                let expected = sluice_crc32c_portable(0xDEAD_BEEF, slice.baseAddress, slice.count)
                #expect(
                    CRC32C.checksum(slice, continuing: 0xDEAD_BEEF) == expected,
                    "\(CRC32C.implementation), start \(start) length \(length)")
                #expect(
                    sluice_crc32c_instruction(0xDEAD_BEEF, slice.baseAddress, slice.count) == expected,
                    "instruction, start \(start) length \(length)")
            }
        }
    }

    @Test func chainsAcrossPieces() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        bytes.withUnsafeBytes { all in
            let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[0..<10]))
            #expect(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[10...]), continuing: first) == whole)
        }
    }
}
