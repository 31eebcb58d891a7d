import SluiceCore
import Testing

@testable import Relational

@Suite struct JSONRecordDecoderTests {
    static let orderColumns: [(name: String, type: DataType)] = [
        ("ID", .bigint), ("NAME", .string), ("PRICE", .double), ("QTY", .int), ("OK", .boolean),
    ]

    func decode(_ json: String, _ columns: [(name: String, type: DataType)], wrap: Bool = true) throws(RelationalError)
        -> [Value]?
    {
        var decoder = try JSONRecordDecoder(columns: columns, wrapSingleValue: wrap)
        var values: [Value] = [.string("stale")]
        let present = try decoder.decode(Array(json.utf8), into: &values)
        return present ? values : nil
    }

    func decodeError(_ json: String, _ columns: [(name: String, type: DataType)], wrap: Bool = true) -> RelationalError?
    {
        do {
            _ = try decode(json, columns, wrap: wrap)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesAFlatRecordMatchingNamesCaseInsensitively() throws {
        let values = try decode(
            #"{"id": 7, "name":"Widget", "price": 9.99, "qty": 3, "ok": true, "extra": {"a":[1,2]}}"#,
            Self.orderColumns)
        #expect(values == [.bigint(7), .string("Widget"), .double(9.99), .int(3), .boolean(true)])
    }

    @Test func missingFieldsAreNullAndOrderDoesNotMatter() throws {
        #expect(try decode(#"{"QTY":1,"ID":2}"#, Self.orderColumns) == [.bigint(2), .null, .null, .int(1), .null])
        #expect(try decode(#"{}"#, Self.orderColumns) == [.null, .null, .null, .null, .null])
        #expect(try decode(#" { "ID" : null } "#, Self.orderColumns) == [.null, .null, .null, .null, .null])
    }

    @Test func exactNameWinsOverUpperCasedWhateverTheOrder() throws {
        let columns: [(name: String, type: DataType)] = [("ID", .int)]
        #expect(try decode(#"{"ID":1,"id":2}"#, columns) == [.int(1)])
        #expect(try decode(#"{"id":2,"ID":1}"#, columns) == [.int(1)])
        #expect(try decode(#"{"id":2,"Id":3}"#, columns) == [.int(3)])  // equal rank: last wins
        // A quoted lower-case column matches only exactly, and takes precedence over upper-casing.
        let mixed: [(name: String, type: DataType)] = [("id", .int), ("ID", .int)]
        #expect(try decode(#"{"id":1,"Id":2}"#, mixed) == [.int(1), .int(2)])
        #expect(try decode(#"{"ID":5}"#, mixed) == [.null, .int(5)])
        // Non-ASCII keys upper-case by Unicode rules.
        #expect(try decode(#"{"straße":1}"#, [("STRASSE", .int)]) == [.int(1)])
        #expect(try decode(#"{"\u0069d":4}"#, [("ID", .int)]) == [.int(4)])
    }

    @Test func nullRecordAndUnwrappedValues() throws {
        #expect(try decode("null", Self.orderColumns) == nil)
        #expect(try decode(" null\n", [("V", .int)], wrap: false) == nil)
        #expect(try decode("42", [("V", .int)], wrap: false) == [.int(42)])
        #expect(try decode(#""hello""#, [("K", .string)], wrap: false) == [.string("hello")])
        #expect(try decode("[1,2]", [("A", .array(.int))], wrap: false) == [.array([.int(1), .int(2)])])
        #expect(try decode(#"{"V":42}"#, [("V", .int)], wrap: true) == [.int(42)])
        // wrap=false only applies to one column.
        #expect(try decode(#"{"A":1,"B":2}"#, [("A", .int), ("B", .int)], wrap: false) == [.int(1), .int(2)])
    }

    @Test func nestedTypes() throws {
        let columns: [(name: String, type: DataType)] = [
            ("ITEMS", .array(.struct([.init("SKU", .string), .init("N", .int)]))),
            ("TAGS", .map(key: .string, value: .array(.string))),
            ("ADDR", .struct([.init("city", .string), .init("ZIP", .int)])),
        ]
        let json =
            #"{"items":[{"sku":"a","n":1},{"SKU":"b"},null],"tags":{"x":["1"],"y":null},"addr":{"city":"Oslo","zip":"0150"}}"#
        let values = try decode(json, columns)
        #expect(
            values == [
                .array([.struct([.string("a"), .int(1)]), .struct([.string("b"), .null]), .null]),
                .map([.init(.string("x"), .array([.string("1")])), .init(.string("y"), .null)]),
                .struct([.string("Oslo"), .int(150)]),
            ])
    }

    @Test func strings() throws {
        let column: [(name: String, type: DataType)] = [("S", .string)]
        #expect(try decode(#"{"S":"a\"b\\c\/d\b\f\n\r\t"}"#, column) == [.string("a\"b\\c/d\u{8}\u{c}\n\r\t")])
        #expect(try decode(#"{"S":"\u00e9\u20AC\ud83d\ude00"}"#, column) == [.string("é€😀")])
        #expect(try decode(#"{"S":"naïve 😀"}"#, column) == [.string("naïve 😀")])
        // ksqlDB's coercions into STRING.
        #expect(try decode(#"{"S":12.50}"#, column) == [.string("12.50")])
        #expect(try decode(#"{"S":true}"#, column) == [.string("true")])
        #expect(try decode(#"{"S":{ "a" : [1, {"b":"\n"}] }}"#, column) == [.string(#"{"a":[1,{"b":"\n"}]}"#)])
        #expect(try decode(#"{"S":[1, "x", null, [2]]}"#, column) == [.string("[1, x, null, [2]]")])
    }

    @Test func invalidUTF8IsReplacedNotRejected() throws {
        var decoder = try JSONRecordDecoder(columns: [("S", .string)])
        var values: [Value] = []
        let bytes: [UInt8] = Array(#"{"S":""#.utf8) + [0xFF, 0x41] + Array(#""}"#.utf8)
        #expect(try decoder.decode(bytes, into: &values))
        #expect(values == [.string("\u{FFFD}A")])
    }

    @Test func numbers() throws {
        let columns: [(name: String, type: DataType)] = [
            ("I", .int), ("B", .bigint), ("D", .double), ("M", .decimal(precision: 6, scale: 2)),
        ]
        #expect(
            try decode(#"{"I":-2147483648,"B":-9223372036854775808,"D":-0.0,"M":1234.5}"#, columns)
                == [.int(.min), .bigint(.min), .double(-0.0), .decimal(try SQLDecimal(parsing: "1234.50"))])
        #expect(
            try decode(#"{"I":"17","B":"9223372036854775807","D":"NaN","M":"-0.10"}"#, columns)
                == [.int(17), .bigint(.max), .double(.nan), .decimal(try SQLDecimal(parsing: "-0.10"))])
        // Fractions truncate into integers (Jackson's intValue), exponents are exact.
        #expect(
            try decode(#"{"I":2.9,"B":-1.5e3,"D":1E400}"#, columns) == [
                .int(2), .bigint(-1500), .double(.infinity), .null,
            ])
        #expect(try decode(#"{"B":12345678901234567e-5}"#, columns) == [.null, .bigint(123_456_789_012), .null, .null])
        // More than 38 significant digits: through Double, still truncated, still range-checked (no trap).
        #expect(
            try decode(#"{"B":1.00000000000000000000000000000000000000001}"#, columns) == [
                .null, .bigint(1), .null, .null,
            ])
        #expect(
            decodeError(#"{"B":-9.25000000000000000000000000000000000000001e18}"#, columns)?.code
                == .numericValueOutOfRange)
        #expect(decodeError(#"{"B":1e50}"#, columns)?.code == .numericValueOutOfRange)
        #expect(decodeError(#"{"B":-9223372036854775809}"#, columns)?.code == .numericValueOutOfRange)
        #expect(decodeError(#"{"M":1e-50}"#, columns)?.code == nil)
    }

    @Test(arguments: [
        "0.1", "1e-7", "123456789.123456789", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
        "9007199254740993", "0.30000000000000004", "-123.456e-10", "7.0e22", "1e23", "8.5e-5",
    ])
    func doublesAreCorrectlyRounded(literal: String) throws {
        let values = try decode(#"{"D":\#(literal)}"#, [("D", .double)])
        #expect(values == [.double(Double(literal)!)])
    }

    @Test func byteAndTemporalRepresentations() throws {
        let columns: [(name: String, type: DataType)] = [("B", .bytes), ("D", .date), ("T", .time), ("TS", .timestamp)]
        #expect(
            try decode(#"{"B":"AQID/w==","D":19782,"T":"1000","TS":1510894425000}"#, columns)
                == [.bytes([1, 2, 3, 255]), .date(19_782), .time(1000), .timestamp(1_510_894_425_000)])
        #expect(try decode(#"{"B":"AQID/w"}"#, columns) == [.bytes([1, 2, 3, 255]), .null, .null, .null])
    }

    @Test func wrongTypesAreErrorsWithAPath() {
        let cases: [(String, [(name: String, type: DataType)], RelationalError.Code, String?)] = [
            (#"{"OK":"true"}"#, Self.orderColumns, .malformedRecord, "$.OK"),
            (#"{"OK":1}"#, Self.orderColumns, .malformedRecord, "$.OK"),
            (#"{"QTY":2147483648}"#, Self.orderColumns, .numericValueOutOfRange, "$.QTY"),
            (#"{"QTY":"12x"}"#, Self.orderColumns, .invalidTextRepresentation, "$.QTY"),
            (#"{"QTY":" 12"}"#, Self.orderColumns, .invalidTextRepresentation, "$.QTY"),
            (#"{"ID":1e30}"#, Self.orderColumns, .numericValueOutOfRange, "$.ID"),
            (#"{"ID":[1]}"#, Self.orderColumns, .malformedRecord, "$.ID"),
            (#"{"NAME":"x","PRICE":{}}"#, Self.orderColumns, .malformedRecord, "$.PRICE"),
            (#"[1,2]"#, Self.orderColumns, .malformedRecord, "$"),
            (#"{"A":[1,"x"]}"#, [("A", .array(.int))], .invalidTextRepresentation, "$.A[1]"),
            (
                #"{"S":{"IN":{"V":true}}}"#, [("S", .struct([.init("IN", .struct([.init("V", .int)]))]))],
                .malformedRecord, "$.S.IN.V"
            ),
            (#"{"M":1.234}"#, [("M", .decimal(precision: 5, scale: 2))], .numericValueOutOfRange, "$.M"),
            (#"{"M":12345}"#, [("M", .decimal(precision: 5, scale: 2))], .numericValueOutOfRange, "$.M"),
            (#"{"B":"!!"}"#, [("B", .bytes)], .invalidTextRepresentation, "$.B"),
        ]
        for (json, columns, code, path) in cases {
            let error = decodeError(json, columns)
            #expect(error?.code == code, "\(json)")
            #expect(error?.path == path, "\(json)")
        }
    }

    @Test(arguments: [
        "", "   ", "{", "{\"ID\"", "{\"ID\":", "{\"ID\":1", "{\"ID\":1,}", "{\"ID\" 1}", "{ID:1}", "{\"ID\":01}",
        "{\"ID\":-}", "{\"ID\":1.}", "{\"ID\":.5}", "{\"ID\":1e}", "{\"NAME\":\"abc}", "{\"NAME\":\"\\x\"}",
        "{\"NAME\":\"\\u12\"}", "{\"NAME\":\"\\ud800\"}", "{\"NAME\":\"\\udc00\\ud800\"}", "{\"NAME\":\"a\nb\"}",
        "{\"X\":tru}", "{\"X\":nul}", "{\"X\":[1 2]}", "{\"X\":{\"a\" 1}}", "{\"X\":+1}", "{} {}", "nullx",
        "{\"ID\":NaN}",
        "{\"X\":[1,]}", "{,}", "{\"ID\":1}}",
    ])
    func malformedJSONIsAnError(json: String) {
        let error = decodeError(json, Self.orderColumns)
        #expect(error != nil, "accepted \(json.debugDescription)")
    }

    @Test func nestingDepthIsLimited() throws {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let error = decodeError(#"{"X":\#(deep)}"#, Self.orderColumns)
        #expect(error?.code == .malformedRecord)
        #expect(error?.message.contains("nesting deeper than 64") == true)
        let deepArray = DataType.array(.array(.array(.int)))
        #expect(try decode(#"{"A":[[[1]]]}"#, [("A", deepArray)]) == [.array([.array([.array([.int(1)])])])])
        var shallow = try JSONRecordDecoder(columns: [("A", deepArray)], maxDepth: 3)
        var values: [Value] = []
        #expect(throws: RelationalError.self) { try shallow.decode(Array(#"{"A":[[[1]]]}"#.utf8), into: &values) }
    }

    @Test func repeatedMapKeysKeepTheFirstPositionAndTheLastValue() throws {
        let columns: [(name: String, type: DataType)] = [("M", .map(key: .string, value: .int))]
        #expect(
            try decode(#"{"M":{"a":1,"b":2,"a":3}}"#, columns) == [
                .map([.init(.string("a"), .int(3)), .init(.string("b"), .int(2))])
            ])
        // Large maps take the indexed path: 40 distinct keys, then every key again with a new value.
        let keys = (0..<40).map { "k\($0)" }
        let json = "{\"M\":{" + (keys.map { "\"\($0)\":1" } + keys.map { "\"\($0)\":2" }).joined(separator: ",") + "}}"
        #expect(try decode(json, columns) == [.map(keys.map { .init(.string($0), .int(2)) })])
    }

    @Test func mapsNeedStringKeys() {
        #expect(throws: RelationalError.self) { try JSONRecordDecoder(columns: [("M", .map(key: .int, value: .int))]) }
    }

    @Test func decoderIsReusableAcrossRecords() throws {
        var decoder = try JSONRecordDecoder(columns: Self.orderColumns)
        var values: [Value] = []
        for id in 0..<100 {
            let json = #"{"id":\#(id),"name":"n\u0041\#(id)"}"#
            #expect(try decoder.decode(Array(json.utf8), into: &values))
            #expect(values == [.bigint(Int64(id)), .string("nA\(id)"), .null, .null, .null])
            #expect(throws: RelationalError.self) { try decoder.decode(Array("{\"id\":".utf8), into: &values) }
        }
    }
}

@Suite struct JSONTruncationTests {
    @Test func everyProperPrefixOfARecordIsAnError() throws {
        let record =
            #"{"id":123,"name":"a\"\u00e9😀","p":-1.5e-3,"tags":["x",null],"s":{"a":[1,{"b":true}]},"ok":false}"#
        let columns: [(name: String, type: DataType)] = [
            ("ID", .bigint), ("NAME", .string), ("P", .double), ("TAGS", .array(.string)), ("S", .string),
            ("OK", .boolean),
        ]
        var decoder = try JSONRecordDecoder(columns: columns)
        var values: [Value] = []
        let bytes = Array(record.utf8)
        #expect(try decoder.decode(bytes, into: &values))
        #expect(
            values == [
                .bigint(123), .string("a\"é😀"), .double(-1.5e-3), .array([.string("x"), .null]),
                .string(#"{"a":[1,{"b":true}]}"#), .boolean(false),
            ])
        for length in 0..<bytes.count {
            #expect(throws: RelationalError.self, "prefix of \(length) bytes") {
                try decoder.decode(Array(bytes[..<length]), into: &values)
            }
        }
    }
}

@Suite struct JSONNumberParsingTests {
    /// The fast path (exact mantissa times an exact power of ten) must agree with the standard library's
    /// correctly rounded parser on every literal, and so must the slow path.
    @Test func randomLiteralsMatchTheCorrectlyRoundedParser() throws {
        var random = SeededRandom(seed: 314)
        var decoder = try JSONRecordDecoder(columns: [("D", .double)], wrapSingleValue: false)
        var values: [Value] = []
        for _ in 0..<20_000 {
            let digits = String(random.next() >> UInt64(random.below(64)))
            let point = random.below(digits.count + 1)
            var literal = random.below(2) == 0 ? "-" : ""
            literal += point == 0 ? digits : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if literal.hasSuffix(".") { literal += "0" }
            if literal.hasPrefix(".") || literal.hasPrefix("-.") { literal = literal.replacingFirstDot() }
            if random.below(2) == 0 { literal += "e\(random.below(70) - 35)" }
            #expect(try decoder.decode(Array(literal.utf8), into: &values))
            #expect(values == [.double(Double(literal)!)], "\(literal)")
        }
    }
}

extension String {
    /// ".5" → "0.5" (JSON needs a digit before the point).
    fileprivate func replacingFirstDot() -> String {
        hasPrefix("-.") ? "-0" + dropFirst() : "0" + self
    }
}
