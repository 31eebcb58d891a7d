import SluiceCore
import Testing

@testable import Relational

@Suite struct JSONRecordEncoderTests {
    func encode(_ values: [Value], _ columns: [(name: String, type: DataType)], wrap: Bool = true) -> String {
        var out: [UInt8] = Array("prefix|".utf8)
        JSONRecordEncoder(columns: columns, wrapSingleValue: wrap).encode(values, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func goldenBytes() throws {
        let columns: [(name: String, type: DataType)] = [
            ("ID", .bigint), ("name", .string), ("PRICE", .double), ("AMT", .decimal(precision: 6, scale: 2)),
            ("OK", .boolean), ("NOTE", .string), ("D", .date), ("TS", .timestamp), ("B", .bytes),
        ]
        let values: [Value] = [
            .bigint(-7), .string("a\"b\\c\n\u{1}é😀"), .double(0.1), .decimal(try SQLDecimal(parsing: "12.50")),
            .boolean(false), .null, .date(19_782), .timestamp(1_510_894_425_000), .bytes([0, 255]),
        ]
        #expect(
            encode(values, columns)
                == #"prefix|{"ID":-7,"name":"a\"b\\c\n\u0001é😀","PRICE":0.1,"AMT":12.50,"OK":false,"NOTE":null,"D":19782,"TS":1510894425000,"B":"AP8="}"#
        )
    }

    @Test func doubles() {
        let column: [(name: String, type: DataType)] = [("D", .double)]
        let cases: [(Double, String)] = [
            (1, "1.0"), (-0.0, "-0.0"), (0, "0.0"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
            (123456789012345.0, "123456789012345.0"),
            (1e-7, "1e-07"), (.nan, #""NaN""#), (.infinity, #""Infinity""#), (-.infinity, #""-Infinity""#),
            (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        ]
        for (value, text) in cases {
            #expect(encode([.double(value)], column, wrap: false) == "prefix|" + text, "\(value)")
        }
    }

    @Test func compoundValuesAndUnwrapping() {
        let type = DataType.struct([.init("K", .string), .init("V", .array(.map(key: .string, value: .int)))])
        let value = Value.struct([
            .string("x"), .array([.map([.init(.string("a"), .int(1)), .init(.string("b"), .null)]), .null]),
        ])
        #expect(encode([value], [("S", type)]) == #"prefix|{"S":{"K":"x","V":[{"a":1,"b":null},null]}}"#)
        #expect(encode([value], [("S", type)], wrap: false) == #"prefix|{"K":"x","V":[{"a":1,"b":null},null]}"#)
        #expect(encode([.string("k1")], [("K", .string)], wrap: false) == #"prefix|"k1""#)
        #expect(encode([], []) == "prefix|{}")
    }

    @Test func roundTripsThroughTheDecoder() throws {
        let columns: [(name: String, type: DataType)] = [
            ("I", .int), ("B", .bigint), ("D", .double), ("M", .decimal(precision: 38, scale: 10)), ("S", .string),
            ("BY", .bytes), ("DT", .date), ("T", .time), ("TS", .timestamp), ("Z", .boolean),
            ("A", .array(.double)), ("MP", .map(key: .string, value: .struct([.init("x", .bigint)]))),
        ]
        var random = SeededRandom(seed: 7)
        var decoder = try JSONRecordDecoder(columns: columns)
        let encoder = JSONRecordEncoder(columns: columns)
        var bytes: [UInt8] = []
        var decoded: [Value] = []
        for _ in 0..<2000 {
            let row: [Value] = [
                .int(Int32(truncatingIfNeeded: random.next())), .bigint(Int64(bitPattern: random.next())),
                .double(random.double()),
                .decimal(try SQLDecimal(unscaled: Int128(Int64(bitPattern: random.next())) * 1_000_000_007, scale: 10)),
                .string(random.string()),
                .bytes((0..<random.below(6)).map { _ in UInt8(truncatingIfNeeded: random.next()) }),
                .date(Int32(truncatingIfNeeded: random.next() % 3_000_000)), .time(Int32(random.below(86_400_000))),
                .timestamp(Int64(bitPattern: random.next()) >> 20),
                random.below(3) == 0 ? .null : .boolean(random.below(2) == 0),
                .array([.double(random.double()), .null]),
                .map([.init(.string(random.string()), .struct([.bigint(Int64(random.below(1000)))]))]),
            ]
            bytes.removeAll(keepingCapacity: true)
            encoder.encode(row, into: &bytes)
            #expect(try decoder.decode(bytes, into: &decoded))
            #expect(decoded == row, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
