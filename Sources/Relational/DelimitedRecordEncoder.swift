import SluiceCore
/// Encodes ksqlDB's `DELIMITED` format: one CSV record, no line terminator (ksqlDB strips Commons CSV's CRLF).
///
/// NULL is an empty field. A field is quoted (`"…"`, inner quotes doubled) when it holds the delimiter, a
/// quote, CR or LF, when it is the empty string, when it starts with a character ≤ `#` or ends with one
/// ≤ space (Commons CSV's minimal-quoting rule). Value text: BOOLEAN `true`/`false`, numbers in plain
/// decimal (DOUBLE shortest round-trip; ksqlDB's Java text `1.0E10` reads back the same), BYTES base64,
/// DATE epoch days, TIME millisecond of day, TIMESTAMP epoch milliseconds.
public struct DelimitedRecordEncoder: Sendable {
    public let columns: [(name: String, type: DataType)]
    public let delimiter: UInt8
    var textBuffer: [UInt8] = []

    public init(columns: [(name: String, type: DataType)], delimiter: UInt8 = UInt8(ascii: ",")) throws(RelationalError)
    {
        _ = try DelimitedRecordDecoder(columns: columns, delimiter: delimiter)
        self.columns = columns
        self.delimiter = delimiter
    }

    /// Appends the record for `values` (one per column) to `output`.
    public mutating func encode(_ values: [Value], into output: inout [UInt8]) {
        encodeValues(values, into: &output)
    }

    /// Appends the record for `values` (one per column) to `output`.
    public mutating func encode(_ values: ArraySlice<Value>, into output: inout [UInt8]) {
        encodeValues(values, into: &output)
    }

    @inline(__always)
    mutating func encodeValues<C: RandomAccessCollection<Value>>(_ values: C, into output: inout [UInt8]) {
        precondition(values.count == columns.count, "\(values.count) values for \(columns.count) columns")
        var first = true
        for value in values {
            if !first { output.append(delimiter) }
            first = false
            if case .null = value { continue }
            textBuffer.removeAll(keepingCapacity: true)
            appendText(value, to: &textBuffer)
            appendField(textBuffer, to: &output)
        }
    }

    func appendText(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .null: break
        case .boolean(let v): JSONWriter.appendLiteral(v ? "true" : "false", to: &out)
        case .int(let v): JSONWriter.appendInteger(Int64(v), to: &out)
        case .bigint(let v): JSONWriter.appendInteger(v, to: &out)
        case .double(let v): out.append(contentsOf: NumberText.doubleText(v).utf8)
        case .decimal(let v): v.appendText(to: &out)
        case .string(let v): out.append(contentsOf: v.utf8)
        case .bytes(let v): Base64.encode(v, into: &out)
        case .date(let v): JSONWriter.appendInteger(Int64(v), to: &out)
        case .time(let v): JSONWriter.appendInteger(Int64(v), to: &out)
        case .timestamp(let v): JSONWriter.appendInteger(v, to: &out)
        case .array, .map, .struct: preconditionFailure("compound types are refused at construction")
        }
    }

    func needsQuotes(_ text: [UInt8]) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first <= UInt8(ascii: "#") || last <= 0x20 { return true }
        return text.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }

    func appendField(_ text: [UInt8], to out: inout [UInt8]) {
        guard needsQuotes(text) else {
            out.append(contentsOf: text)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
