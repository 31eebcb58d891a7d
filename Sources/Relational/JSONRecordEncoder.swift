/// Encodes values as JSON records (ksqlDB's `JSON` format), appending to a reusable byte buffer.
///
/// Wrapped (the default, and always with several columns): an object with one member per column, named
/// exactly as the column (`{"ID":1,"NAME":"a"}`), NULL columns included as `null`. Unwrapped
/// (`WRAP_SINGLE_VALUE=false` with one column): the bare value. Value text is `JSONWriter`'s. A null
/// record (a tombstone) is not encoded at all: the caller writes a Kafka record with a null value.
public struct JSONRecordEncoder: Sendable {
    public let columns: [(name: String, type: DataType)]
    public let wrapSingleValue: Bool
    /// `{"A":` for the first column, `,"B":` for the others: written without re-escaping per record.
    let prefixes: [[UInt8]]

    public init(columns: [(name: String, type: DataType)], wrapSingleValue: Bool = true) {
        self.columns = columns
        self.wrapSingleValue = wrapSingleValue || columns.count != 1
        self.prefixes = columns.enumerated().map { index, column in
            var prefix: [UInt8] = [index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            JSONWriter.appendString(column.name, to: &prefix)
            prefix.append(UInt8(ascii: ":"))
            return prefix
        }
    }

    /// Appends the record for `values` (one per column, in column order) to `output`.
    public func encode(_ values: some RandomAccessCollection<Value>, into output: inout [UInt8]) {
        precondition(values.count == columns.count, "\(values.count) values for \(columns.count) columns")
        guard wrapSingleValue else {
            JSONWriter.appendValue(values[values.startIndex], type: columns[0].type, to: &output)
            return
        }
        if columns.isEmpty {
            output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            return
        }
        var column = 0
        for value in values {
            output.append(contentsOf: prefixes[column])
            JSONWriter.appendValue(value, type: columns[column].type, to: &output)
            column += 1
        }
        output.append(UInt8(ascii: "}"))
    }
}
