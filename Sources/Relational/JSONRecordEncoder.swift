/// Encodes values as JSON records (ksqlDB's `JSON` format), appending to a reusable byte buffer.
///
/// Wrapped (the default, and always with several columns): an object with one member per column, named
/// exactly as the column (`{"ID":1,"NAME":"a"}`), NULL columns included as `null`. Unwrapped
/// (`WRAP_SINGLE_VALUE=false` with one column): the bare value. Value text is `JSONWriter`'s. A null
/// record (a tombstone) is not encoded at all: the caller writes a Kafka record with a null value.
///
/// A class: it is immutable, and `RecordEncoder`'s per-record switch then binds one reference instead of copying
/// (retaining and releasing) four arrays.
public final class JSONRecordEncoder: Sendable {
    public let columns: [(name: String, type: DataType)]
    public let wrapSingleValue: Bool
    let types: [DataType]
    /// `{"A":` for the first column, `,"B":` for the others, back to back, escaped once at construction;
    /// column i's is `prefixBytes[prefixStarts[i]..<prefixStarts[i + 1]]`.
    let prefixBytes: [UInt8]
    let prefixStarts: [Int]

    public init(columns: [(name: String, type: DataType)], wrapSingleValue: Bool = true) {
        self.columns = columns
        self.wrapSingleValue = wrapSingleValue || columns.count != 1
        self.types = columns.map(\.type)
        var bytes: [UInt8] = []
        var starts = [0]
        for (index, column) in columns.enumerated() {
            bytes.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONWriter.appendString(column.name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            starts.append(bytes.count)
        }
        self.prefixBytes = bytes
        self.prefixStarts = starts
    }

    /// Appends the record for `values` (one per column, in column order) to `output`.
    public func encode(_ values: [Value], into output: inout [UInt8]) {
        encodeValues(values, into: &output)
    }

    /// Appends the record for `values` (one per column, in column order) to `output`.
    public func encode(_ values: ArraySlice<Value>, into output: inout [UInt8]) {
        encodeValues(values, into: &output)
    }

    /// Generic over the collection but internal, so that it is specialized for the public overloads.
    @inline(__always)
    func encodeValues<C: RandomAccessCollection<Value>>(_ values: C, into output: inout [UInt8]) {
        precondition(values.count == types.count, "\(values.count) values for \(types.count) columns")
        guard wrapSingleValue else {
            JSONWriter.appendValue(values[values.startIndex], type: types[0], to: &output)
            return
        }
        if types.isEmpty {
            output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            return
        }
        prefixBytes.withUnsafeBufferPointer { prefixes in
            var column = 0
            for value in values {
                output.append(
                    contentsOf: UnsafeBufferPointer(rebasing: prefixes[prefixStarts[column]..<prefixStarts[column + 1]])
                )
                JSONWriter.appendValue(value, type: types[column], to: &output)
                column += 1
            }
        }
        output.append(UInt8(ascii: "}"))
    }
}
