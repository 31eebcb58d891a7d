import SluiceCore
/// Decodes ksqlDB's `DELIMITED` format: one CSV record (RFC 4180 quoting as Apache Commons CSV's default
/// format reads it) with a configurable one-byte delimiter.
///
/// - Fields map to columns by position; a different field count is an error (ksqlDB's "column count
///   mismatch").
/// - A field is quoted with `"` when it holds the delimiter, a quote or a line break; `""` inside quotes is
///   one quote. Text after a closing quote other than the delimiter is an error. An unquoted CR or LF ends
///   the record (ksqlDB reads only the first).
/// - An empty field, quoted or not, is NULL (ksqlDB: `value.isEmpty() ? null`); an empty record is an
///   error, even for one column (Commons CSV skips empty lines, leaving ksqlDB no record).
/// - Field text: BOOLEAN `true`/`false` and PostgreSQL's other spellings, case-insensitive (ksqlDB's
///   `Boolean.parseBoolean` reads any other text as false; Sluice rejects it instead of inventing a value);
///   INT/BIGINT decimal digits; DOUBLE and DECIMAL decimal text (DECIMAL must fit without rounding); STRING
///   as is; BYTES base64; DATE epoch days, TIME millisecond of day, TIMESTAMP epoch milliseconds (the
///   numbers ksqlDB writes).
/// - Compound types are not supported (`unsupportedSchema` at construction).
public struct DelimitedRecordDecoder: Sendable {
    public let columns: [(name: String, type: DataType)]
    public let delimiter: UInt8
    var fieldBuffer: [UInt8] = []

    public init(columns: [(name: String, type: DataType)], delimiter: UInt8 = UInt8(ascii: ",")) throws(RelationalError)
    {
        for column in columns where column.type.isCompound {
            throw RelationalError(
                .unsupportedSchema,
                "the DELIMITED format does not support type \(column.type) (column \(column.name))")
        }
        guard delimiter != UInt8(ascii: "\""), delimiter != 0x0A, delimiter != 0x0D, delimiter < 0x80 else {
            throw RelationalError(.unsupportedSchema, "invalid DELIMITED delimiter byte \(delimiter)")
        }
        self.columns = columns
        self.delimiter = delimiter
    }

    /// The delimiter byte for a `KEY_DELIMITER`/`VALUE_DELIMITER` property: one ASCII character, `SPACE` or `TAB`.
    public static func delimiter(named name: String) -> UInt8? {
        switch name.uppercased() {
        case "SPACE": return 0x20
        case "TAB": return 0x09
        default:
            let bytes = Array(name.utf8)
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != UInt8(ascii: "\""), bytes[0] >= 0x20 else {
                return nil
            }
            return bytes[0]
        }
    }

    /// Decodes one record into `values` (one per column). Always returns true (a null record is a Kafka null).
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RelationalError)
        -> Bool
    {
        values.removeAll(keepingCapacity: true)
        guard let first = bytes.first, first != 0x0A, first != 0x0D else {
            // Commons CSV skips empty lines, so ksqlDB sees no record at all ("No fields in record").
            throw RelationalError(.malformedRecord, "no fields in DELIMITED record")
        }
        var index = 0
        var fieldCount = 0
        while true {
            let (start, end, quoted) = try nextField(bytes, &index)
            fieldCount += 1
            if fieldCount <= columns.count {
                let column = columns[fieldCount - 1]
                do { values.append(try fieldValue(bytes, start, end, quoted, column.type)) } catch {
                    throw error.prefixingPath("$.\(column.name)")
                }
            }
            guard index < bytes.count, bytes[index] == delimiter else { break }
            index += 1
        }
        guard fieldCount == columns.count else {
            throw RelationalError(
                .malformedRecord, "column count mismatch: expected \(columns.count) fields, got \(fieldCount)")
        }
        return true
    }

    /// Scans one field from `index`; on return `index` is at the delimiter, a line break, or the end.
    /// A quoted field's content (with `""` pairs still doubled) is `start..<end`.
    func nextField(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) throws(RelationalError)
        -> (start: Int, end: Int, quoted: Bool)
    {
        let start = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            while index < bytes.count, bytes[index] != delimiter, bytes[index] != 0x0A, bytes[index] != 0x0D {
                index += 1
            }
            return (start, index, false)
        }
        index += 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    index += 2
                    continue
                }
                let end = index
                index += 1
                guard index == bytes.count || bytes[index] == delimiter || bytes[index] == 0x0A || bytes[index] == 0x0D
                else {
                    throw RelationalError(.malformedRecord, "invalid character after a quoted DELIMITED field")
                }
                return (start + 1, end, true)
            }
            index += 1
        }
        throw RelationalError(.malformedRecord, "unterminated quoted DELIMITED field")
    }

    mutating func fieldValue(
        _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ quoted: Bool, _ type: DataType
    )
        throws(RelationalError) -> Value
    {
        guard end > start else { return .null }
        var raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if quoted, raw.contains(UInt8(ascii: "\"")) {
            fieldBuffer.removeAll(keepingCapacity: true)
            var previousQuote = false
            for byte in raw {
                if byte == UInt8(ascii: "\""), previousQuote {
                    previousQuote = false
                    continue
                }
                previousQuote = byte == UInt8(ascii: "\"")
                fieldBuffer.append(byte)
            }
            let text = String(decoding: fieldBuffer, as: UTF8.self)
            return try NumberText.withUTF8(text) { (b) throws(RelationalError) in try Self.parse(b, type) }
        }
        raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        return try Self.parse(raw, type)
    }

    static func parse(_ text: UnsafeRawBufferPointer, _ type: DataType) throws(RelationalError) -> Value {
        switch type {
        case .boolean: return .boolean(try NumberText.parseBoolean(text))
        case .int: return .int(try NumberText.parseInt32(text))
        case .bigint: return .bigint(try NumberText.parseInt64(text))
        case .double: return .double(try NumberText.parseDouble(NumberText.trimmed(text)))
        case .decimal(let p, let s):
            return .decimal(try SQLDecimal(parsingUTF8: text).coerced(precision: p, scale: s, rounding: false))
        case .string: return .string(String(decoding: text, as: UTF8.self))
        case .bytes: return .bytes(try Base64.decodeBytes(text))
        case .date: return .date(try NumberText.parseInt32(text))
        case .time: return .time(try NumberText.parseInt32(text))
        case .timestamp: return .timestamp(try NumberText.parseInt64(text))
        case .array, .map, .struct: preconditionFailure("compound types are refused at construction")
        }
    }
}
