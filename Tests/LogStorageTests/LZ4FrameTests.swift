import Testing

@testable import LogStorage

@Suite struct LZ4FrameTests {
    @Test func roundTripsSmallAndLargeInputs() throws {
        for size in [0, 1, 100, 65_536, 65_537, 1 << 20] {
            let input = (0..<size).map { UInt8(truncatingIfNeeded: $0 % 251 &* 7) }
            var compressed: [UInt8] = []
            try input.withUnsafeBytes { try LZ4Frame.compress($0, appendingTo: &compressed) }
            // LZ4 frame magic number 0x184D2204, little-endian.
            #expect(Array(compressed.prefix(4)) == [0x04, 0x22, 0x4D, 0x18])
            var output: [UInt8] = []
            try compressed.withUnsafeBytes { try LZ4Frame.decompress($0, appendingTo: &output) }
            #expect(output == input, "size \(size)")
        }
    }

    @Test func corruptAndTruncatedFramesAreErrors() throws {
        let input = [UInt8](repeating: 65, count: 10_000)
        var compressed: [UInt8] = []
        try input.withUnsafeBytes { try LZ4Frame.compress($0, appendingTo: &compressed) }
        var output: [UInt8] = []
        #expect(throws: LogError.self) {
            try Array(compressed.prefix(compressed.count / 2)).withUnsafeBytes {
                try LZ4Frame.decompress($0, appendingTo: &output)
            }
        }
        var garbage = compressed
        garbage[0] ^= 0xFF
        #expect(throws: LogError.self) {
            try garbage.withUnsafeBytes { try LZ4Frame.decompress($0, appendingTo: &output) }
        }
    }

    @Test func outputLimitStopsDecompressionBombs() throws {
        let input = [UInt8](repeating: 0, count: 4 << 20)
        var compressed: [UInt8] = []
        try input.withUnsafeBytes { try LZ4Frame.compress($0, appendingTo: &compressed) }
        var output: [UInt8] = []
        #expect(throws: LogError.self) {
            try compressed.withUnsafeBytes { try LZ4Frame.decompress($0, appendingTo: &output, limit: 1 << 20) }
        }
    }
}
