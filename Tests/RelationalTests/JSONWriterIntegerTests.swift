import Testing

@testable import Relational

/// `JSONWriter.appendInteger` writes two digits per step; every length, both signs and the extremes must come out as
/// Swift's own decimal text.
@Suite struct JSONWriterIntegerTests {
    @Test func integersMatchTheirDecimalText() {
        var values: [Int64] = [0, 1, -1, 9, 10, 11, 99, 100, 101, 999, 1_000, .max, .min, .max - 1, .min + 1, 1_436_918_400_000]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
        }
        // Shifted pseudo-random words (a fixed LCG, so that a failure repeats): every digit count comes up.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(bitPattern: state) >> Int64(i % 63))
        }
        for value in values {
            var out: [UInt8] = []
            JSONWriter.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value), "\(value)")
        }
    }
}
