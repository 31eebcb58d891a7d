import Testing

@testable import Relational

@Suite struct RecordFormatTests {
    @Test func namesAndDelimiters() throws {
        #expect(try RecordFormat(name: "json") == .json)
        #expect(try RecordFormat(name: "Kafka") == .kafka)
        #expect(try RecordFormat(name: "NONE") == .none)
        #expect(try RecordFormat(name: "DELIMITED") == .delimited(delimiter: UInt8(ascii: ",")))
        #expect(try RecordFormat(name: "delimited", delimiter: "TAB") == .delimited(delimiter: 0x09))
        #expect(throws: RelationalError.self) { try RecordFormat(name: "AVRO") }
        #expect(throws: RelationalError.self) { try RecordFormat(name: "JSON", delimiter: "|") }
        #expect(throws: RelationalError.self) { try RecordFormat(name: "DELIMITED", delimiter: "||") }
    }

    @Test func decodeAndEncodeThroughTheEnum() throws {
        let columns: [(name: String, type: DataType)] = [("A", .int), ("B", .string)]
        for (format, text) in [
            (RecordFormat.json, #"{"A":1,"B":"x"}"#), (.delimited(delimiter: UInt8(ascii: ",")), "1,x"),
        ] {
            var encoder = try format.makeEncoder(columns: columns)
            var out: [UInt8] = []
            #expect(encoder.encode([Value.int(1), .string("x")], into: &out))
            #expect(String(decoding: out, as: UTF8.self) == text)
            var decoder = try format.makeDecoder(columns: columns)
            var values: [Value] = []
            #expect(try out.withUnsafeBytes { try decoder.decode($0, into: &values) })
            #expect(values == [.int(1), .string("x")])
        }
        var none = try RecordFormat.none.makeDecoder(columns: [])
        var values: [Value] = [.int(1)]
        #expect(try [UInt8]([1, 2]).withUnsafeBytes { try none.decode($0, into: &values) })
        #expect(values.isEmpty)
        #expect(throws: RelationalError.self) { try RecordFormat.none.makeDecoder(columns: columns) }
        #expect(throws: RelationalError.self) { try RecordFormat.kafka.makeEncoder(columns: columns) }
    }
}
