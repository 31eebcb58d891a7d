import Testing

@testable import Relational

@Suite struct KafkaRecordFormatTests {
    func roundTrip(_ value: Value, _ type: DataType) throws -> [UInt8] {
        let columns: [(name: String, type: DataType)] = [("K", type)]
        var out: [UInt8] = []
        #expect(try KafkaRecordEncoder(columns: columns).encode([value], into: &out))
        var values: [Value] = []
        #expect(try out.withUnsafeBytes { try KafkaRecordDecoder(columns: columns).decode($0, into: &values) })
        #expect(values == [value])
        return out
    }

    @Test func goldenBytes() throws {
        #expect(try roundTrip(.int(1), .int) == [0, 0, 0, 1])
        #expect(try roundTrip(.int(-2), .int) == [0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try roundTrip(.bigint(0x0102_0304_0506_0708), .bigint) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try roundTrip(.double(1.0), .double) == [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(try roundTrip(.double(-2.5), .double) == [0xC0, 0x04, 0, 0, 0, 0, 0, 0])
        #expect(try roundTrip(.string("hé"), .string) == [0x68, 0xC3, 0xA9])
        #expect(try roundTrip(.string(""), .string) == [])
        #expect(try roundTrip(.bytes([9, 0]), .bytes) == [9, 0])
    }

    @Test func valuesAreWidenedToTheColumnType() throws {
        var out: [UInt8] = []
        #expect(try KafkaRecordEncoder(columns: [("K", .bigint)]).encode([.int(-1)], into: &out))
        #expect(try KafkaRecordEncoder(columns: [("K", .double)]).encode([.int(2)], into: &out))
        #expect(out == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func nullIsANullRecord() throws {
        var out: [UInt8] = []
        #expect(try !KafkaRecordEncoder(columns: [("K", .int)]).encode([.null], into: &out))
        #expect(out.isEmpty)
    }

    @Test func wrongSizesAreErrors() throws {
        var values: [Value] = []
        for (type, size) in [(DataType.int, 3), (.int, 8), (.bigint, 4), (.double, 0)] {
            let bytes = [UInt8](repeating: 1, count: size)
            do {
                _ = try bytes.withUnsafeBytes {
                    try KafkaRecordDecoder(columns: [("K", type)]).decode($0, into: &values)
                }
                Issue.record("accepted \(size) bytes as \(type)")
            } catch {
                #expect((error as? RelationalError)?.code == .malformedRecord)
            }
        }
    }

    @Test func unsupportedSchemas() {
        #expect(throws: RelationalError.self) { try KafkaRecordDecoder(columns: [("K", .boolean)]) }
        #expect(throws: RelationalError.self) {
            try KafkaRecordDecoder(columns: [("K", .decimal(precision: 4, scale: 0))])
        }
        #expect(throws: RelationalError.self) { try KafkaRecordDecoder(columns: [("A", .int), ("B", .int)]) }
        #expect(throws: RelationalError.self) { try KafkaRecordDecoder(columns: []) }
    }
}
