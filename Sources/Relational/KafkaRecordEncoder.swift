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

    /// Encodes by the column's type (an INT value in a BIGINT column is widened), so the layout is always
    /// the declared one; a value that does not fit the type is a plan bug.
    func encode(value: Value, into output: inout [UInt8]) -> Bool {
        if case .null = value { return false }
        switch (type, value) {
        case (.int, .int(let v)): appendBigEndian(UInt32(bitPattern: v), to: &output)
        case (.bigint, _) where value.integerValue != nil:
            appendBigEndian(UInt64(bitPattern: value.integerValue!), to: &output)
        case (.double, _) where value.doubleValue != nil: appendBigEndian(value.doubleValue!.bitPattern, to: &output)
        case (.string, .string(let v)): output.append(contentsOf: v.utf8)
        case (.bytes, .bytes(let v)): output.append(contentsOf: v)
        default: preconditionFailure("KAFKA format cannot encode \(value) as \(type)")
        }
        return true
    }

    func appendBigEndian<T: FixedWidthInteger>(_ value: T, to output: inout [UInt8]) {
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { output.append(contentsOf: $0) }
    }
}
