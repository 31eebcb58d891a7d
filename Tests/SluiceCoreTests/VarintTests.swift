import Testing

@testable import SluiceCore

@Suite struct VarintTests {
    // Zig-zag pairs from the protobuf encoding guide.
    @Test(arguments: [(Int64(0), UInt64(0)), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294),
                      (-2_147_483_648, 4_294_967_295)])
    func zigzag(value: Int64, encoded: UInt64) {
        #expect(Varint.zigzag(value) == encoded)
        #expect(Varint.unzigzag(encoded) == value)
    }

    @Test func goldenBytes() {
        #expect(encode(0) == [0x00])
        #expect(encode(-1) == [0x01])
        #expect(encode(1) == [0x02])
        #expect(encode(64) == [0x80, 0x01])
        #expect(encode(-65) == [0x81, 0x01])
        #expect(encode(Int64.max).count == 10)
    }

    @Test func roundTripsExtremesAndRandomValues() {
        var random = SeededRandom(seed: 42)
        var values: [Int64] = [0, 1, -1, 63, -64, 64, Int64(Int32.max), Int64(Int32.min), .max, .min]
        for _ in 0..<10_000 { values.append(Int64(bitPattern: random.next()) >> Int64.random(in: 0..<63, using: &random)) }
        for value in values {
            let bytes = encode(value)
            #expect(bytes.count == Varint.encodedLength(value))
            bytes.withUnsafeBytes { buffer in
                var index = 0
                #expect(Varint.read(buffer, at: &index) == value)
                #expect(index == bytes.count)
            }
        }
    }

    @Test func truncatedAndOverlongInputIsNilNotACrash() {
        [UInt8]([0x80, 0x80]).withUnsafeBytes { buffer in
            var index = 0
            #expect(Varint.read(buffer, at: &index) == nil)
            #expect(index == 0)
        }
        [UInt8](repeating: 0xFF, count: 11).withUnsafeBytes { buffer in
            var index = 0
            #expect(Varint.read(buffer, at: &index) == nil)
        }
    }

    private func encode(_ value: Int64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Varint.maxLength)
        let n = bytes.withUnsafeMutableBytes { Varint.write(value, to: $0.baseAddress!) }
        return Array(bytes.prefix(n))
    }
}
