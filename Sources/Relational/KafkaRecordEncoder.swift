/// Encodes ksqlDB's `KAFKA` format (see `KafkaRecordDecoder` for the layout). A NULL value is a null Kafka
/// key or value, which the caller writes; `encode` returns false for it and appends nothing.
public struct KafkaRecordEncoder: Sendable {
    public let type: DataType

    public init(columns: [(name: String, type: DataType)]) throws(RelationalError) {
        type = try KafkaRecordDecoder(columns: columns).type
    }

    /// Appends the encoding of the single value; false (nothing appended) for NULL.
    public func encode(_ values: [Value], into output: inout [UInt8]) -> Bool {
        precondition(values.count == 1, "KAFKA format encodes one value")
        return encode(value: values[0], into: &output)
    }

    /// Appends the encoding of the single value; false (nothing appended) for NULL.
    public func encode(_ values: ArraySlice<Value>, into output: inout [UInt8]) -> Bool {
        precondition(values.count == 1, "KAFKA format encodes one value")
        return encode(value: values[values.startIndex], into: &output)
    }

    func encode(value: Value, into output: inout [UInt8]) -> Bool {
        switch value {
        case .null: return false
        case .int(let v): appendBigEndian(UInt32(bitPattern: v), to: &output)
        case .bigint(let v): appendBigEndian(UInt64(bitPattern: v), to: &output)
        case .double(let v): appendBigEndian(v.bitPattern, to: &output)
        case .string(let v): output.append(contentsOf: v.utf8)
        case .bytes(let v): output.append(contentsOf: v)
        case let other: preconditionFailure("KAFKA format cannot encode \(other) as \(type)")
        }
        return true
    }

    func appendBigEndian<T: FixedWidthInteger>(_ value: T, to output: inout [UInt8]) {
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { output.append(contentsOf: $0) }
    }
}
