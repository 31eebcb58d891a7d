import Testing

@testable import Relational

@Suite struct ValueTests {
    @Test func layoutStaysCompact() {
        // Batches hold millions of values: a DECIMAL unboxed would make every value 32 bytes.
        #expect(MemoryLayout<Value>.stride == 24)
    }

    @Test func accessorsAndDescriptions() throws {
        #expect(Value.int(3).integerValue == 3)
        #expect(Value.bigint(-4).doubleValue == -4)
        #expect(Value.decimal(try SQLDecimal(parsing: "2.5")).doubleValue == 2.5)
        #expect(Value.string("x").doubleValue == nil)
        #expect(Value.int(7).decimalValue == SQLDecimal(7))
        #expect(Value.null.isNull && !Value.int(0).isNull)
        #expect(Value.date(19_782).description == "DATE '2024-02-29'")
        #expect(Value.timestamp(0).description == "TIMESTAMP '1970-01-01T00:00:00.000'")
        #expect(Value.array([.null, .string("a")]).description == "[NULL, 'a']")
        #expect(Row([.int(1), .boolean(true)]).description == "(1, TRUE)")
    }

    @Test func keyFormatsUnwrapASingleColumn() throws {
        var decoder = try RecordFormat.json.makeKeyDecoder(columns: [("ID", .bigint)])
        var values: [Value] = []
        #expect(try Array("42".utf8).withUnsafeBytes { try decoder.decode($0, into: &values) })
        #expect(values == [.bigint(42)])
        var multi = try RecordFormat.json.makeKeyDecoder(columns: [("A", .int), ("B", .string)])
        #expect(try Array(#"{"a":1,"b":"x"}"#.utf8).withUnsafeBytes { try multi.decode($0, into: &values) })
        #expect(values == [.int(1), .string("x")])
        var encoder = try RecordFormat.json.makeKeyEncoder(columns: [("ID", .string)])
        var out: [UInt8] = []
        #expect(encoder.encode([Value.string("k")], into: &out))
        #expect(out == Array(#""k""#.utf8))
    }
}
