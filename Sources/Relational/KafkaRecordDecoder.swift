import SluiceCore

/// Decodes ksqlDB's `KAFKA` format: one primitive column serialized as Kafka's standard serializers do
/// (`IntegerSerializer`, `LongSerializer`, `DoubleSerializer`, `StringSerializer`, `ByteArraySerializer`):
/// INT 4 bytes big-endian, BIGINT 8 bytes big-endian, DOUBLE 8 bytes IEEE-754 big-endian, STRING UTF-8,
/// BYTES as they are. A record of the wrong size is an error. The null record is the caller's (a Kafka null
/// key or value); an empty STRING record is the empty string.
public struct KafkaRecordDecoder: Sendable {
    public let type: DataType

    /// - Throws: `unsupportedSchema` unless there is exactly one column of type INT, BIGINT, DOUBLE,
    ///   STRING or BYTES (ksqlDB's KAFKA format has no multi-column keys or values).
    public init(columns: [(name: String, type: DataType)]) throws(RelationalError) {
        guard columns.count == 1 else {
            throw RelationalError(
                .unsupportedSchema, "the KAFKA format supports exactly one column, got \(columns.count)")
        }
        switch columns[0].type {
        case .int, .bigint, .double, .string, .bytes: type = columns[0].type
        default:
            throw RelationalError(
                .unsupportedSchema,
                "the KAFKA format does not support type \(columns[0].type) (column \(columns[0].name)); use INT, BIGINT, DOUBLE, STRING or BYTES"
            )
        }
    }

    /// Decodes one record into `values` (one value). Always returns true (it has no null encoding).
    public func decode(_ bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RelationalError) -> Bool {
        values.removeAll(keepingCapacity: true)
        switch type {
        case .int:
            try checkSize(bytes, 4)
            values.append(.int(bytes.loadBigEndian(at: 0, as: Int32.self)))
        case .bigint:
            try checkSize(bytes, 8)
            values.append(.bigint(bytes.loadBigEndian(at: 0, as: Int64.self)))
        case .double:
            try checkSize(bytes, 8)
            values.append(.double(Double(bitPattern: bytes.loadBigEndian(at: 0, as: UInt64.self))))
        case .bytes:
            values.append(.bytes(Array(bytes)))
        default:
            values.append(.string(String(decoding: bytes, as: UTF8.self)))
        }
        return true
    }

    func checkSize(_ bytes: UnsafeRawBufferPointer, _ size: Int) throws(RelationalError) {
        guard bytes.count == size else {
            throw RelationalError(
                .malformedRecord, "KAFKA format \(type) must be \(size) bytes, got \(bytes.count)")
        }
    }
}
