import NIOCore

/// A value as PGWire sends it: one case per PostgreSQL type Sluice returns, each encodable in text and
/// binary format. The engine adapter converts its own values to cells, so PGWire needs no engine module.
/// PostgreSQL protocol docs, "Formats and Format Codes"; binary layouts follow each type's `*send`
/// function. Dates and times count from PostgreSQL's epoch, 2000-01-01.
public enum PGCell: Sendable, Hashable {
    case null
    case bool(Bool)
    case int2(Int16)
    case int4(Int32)
    case int8(Int64)
    case float4(Float)
    case float8(Double)
    /// Decimal digits as text, e.g. `"-12.340"`, `"NaN"`.
    case numeric(String)
    /// text or varchar.
    case text(String)
    case bytea([UInt8])
    /// Days since 2000-01-01.
    case date(Int32)
    /// Microseconds since midnight.
    case time(Int64)
    /// Microseconds since 2000-01-01 00:00:00 (no time zone).
    case timestamp(Int64)
    /// Microseconds since 2000-01-01 00:00:00 UTC.
    case timestamptz(Int64)
    case json(String)
    case jsonb(String)
    /// A one-dimensional array of `element`-typed cells (nulls allowed).
    case array(element: PGType, [PGCell])
    /// A system-catalog value (name, "char", oid, regclass …) in its text form, and for oid-like types the number
    /// behind it (a regclass's text is the relation's name). Binary: oid-like types as their 4-byte number (`oid`,
    /// else the text when it is a number), everything else as the text's bytes (right for name, "char" and text).
    case catalog(PGType, String, oid: UInt32? = nil)

    /// The natural PostgreSQL type of this cell (text for null).
    public var type: PGType {
        switch self {
        case .null, .text: .text
        case .bool: .bool
        case .int2: .int2
        case .int4: .int4
        case .int8: .int8
        case .float4: .float4
        case .float8: .float8
        case .numeric: .numeric
        case .bytea: .bytea
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestamptz: .timestamptz
        case .json: .json
        case .jsonb: .jsonb
        case .array(let element, _): element.array
        case .catalog(let type, _, _): type
        }
    }

    /// Writes this cell as a length-prefixed DataRow field (-1 for NULL).
    public func encodeField(format: PGFormat, into buffer: inout ByteBuffer) {
        if case .null = self {
            buffer.writeInteger(Int32(-1))
            return
        }
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        switch format {
        case .text: encodeText(into: &buffer)
        case .binary: encodeBinary(into: &buffer)
        }
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
    }

    /// The text-format rendering, as PostgreSQL's output functions print it (DateStyle ISO, TimeZone UTC).
    public var textValue: String? {
        if case .null = self { return nil }
        var buffer = ByteBuffer()
        encodeText(into: &buffer)
        return buffer.readString(length: buffer.readableBytes)
    }

    public func encodeText(into buffer: inout ByteBuffer) {
        switch self {
        case .null: break
        case .bool(let value): buffer.writeStaticString(value ? "t" : "f")
        case .int2(let value): buffer.writeString(String(value))
        case .int4(let value): buffer.writeString(String(value))
        case .int8(let value): buffer.writeString(String(value))
        case .float4(let value): buffer.writeString(PGCell.formatFloat(Double(value), description: value.description))
        case .float8(let value): buffer.writeString(PGCell.formatFloat(value, description: value.description))
        case .numeric(let value), .text(let value), .json(let value), .jsonb(let value): buffer.writeString(value)
        case .bytea(let bytes): PGCell.writeHexBytea(bytes, into: &buffer)
        case .date(let days): buffer.writeString(PGDateTime.formatDate(days))
        case .time(let micros): buffer.writeString(PGDateTime.formatTime(micros))
        case .timestamp(let micros): buffer.writeString(PGDateTime.formatTimestamp(micros))
        case .timestamptz(let micros): buffer.writeString(PGDateTime.formatTimestamp(micros) + "+00")
        case .array(_, let elements): PGCell.writeTextArray(elements, into: &buffer)
        case .catalog(_, let text, _): buffer.writeString(text)
        }
    }

    public func encodeBinary(into buffer: inout ByteBuffer) {
        switch self {
        case .null: break
        case .bool(let value): buffer.writeInteger(UInt8(value ? 1 : 0))
        case .int2(let value): buffer.writeInteger(value)
        case .int4(let value): buffer.writeInteger(value)
        case .int8(let value): buffer.writeInteger(value)
        case .float4(let value): buffer.writeInteger(value.bitPattern)
        case .float8(let value): buffer.writeInteger(value.bitPattern)
        case .numeric(let value): PGNumeric.writeBinary(value, into: &buffer)
        case .text(let value), .json(let value): buffer.writeString(value)
        case .jsonb(let value):
            buffer.writeInteger(UInt8(1))  // jsonb binary format version
            buffer.writeString(value)
        case .bytea(let bytes): buffer.writeBytes(bytes)
        case .date(let days): buffer.writeInteger(days)
        case .time(let micros), .timestamp(let micros), .timestamptz(let micros): buffer.writeInteger(micros)
        case .array(let element, let elements): PGCell.writeBinaryArray(element, elements, into: &buffer)
        case .catalog(let type, let text, let oid):
            if PGCell.oidLikeTypes.contains(type.oid), let number = oid ?? UInt32(text) {
                buffer.writeInteger(number)
            } else {
                buffer.writeString(text)
            }
        }
    }

    // MARK: - Helpers

    /// regproc, oid, regprocedure, regoper, regoperator, regclass, regtype, regconfig, regdictionary,
    /// regnamespace, regrole, regcollation: 4-byte unsigned numbers in binary format.
    static let oidLikeTypes: Set<UInt32> = [24, 26, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191]

    /// PostgreSQL prints floats shortest-exact (extra_float_digits ≥ 1) without a trailing ".0", and spells
    /// the specials NaN, Infinity, -Infinity.
    static func formatFloat(_ value: Double, description: String) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if description.hasSuffix(".0") { return String(description.dropLast(2)) }
        return description
    }

    private static func writeHexBytea(_ bytes: [UInt8], into buffer: inout ByteBuffer) {
        let digits = Array("0123456789abcdef".utf8)
        buffer.writeStaticString("\\x")
        for byte in bytes {
            buffer.writeInteger(digits[Int(byte >> 4)])
            buffer.writeInteger(digits[Int(byte & 0xF)])
        }
    }

    private static func writeTextArray(_ elements: [PGCell], into buffer: inout ByteBuffer) {
        buffer.writeStaticString("{")
        for (index, element) in elements.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            guard let text = element.textValue else {
                buffer.writeStaticString("NULL")
                continue
            }
            buffer.writeString(quoteArrayElement(text))
        }
        buffer.writeStaticString("}")
    }

    /// array_out quotes empty strings, NULL, and anything with braces, commas, quotes, backslashes or space.
    private static func quoteArrayElement(_ text: String) -> String {
        let special: Set<Character> = ["{", "}", ",", "\"", "\\", " ", "\t", "\n", "\r"]
        let needsQuotes = text.isEmpty || text.uppercased() == "NULL" || text.contains { special.contains($0) }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// array_send: ndim, has-null flag, element OID, then per dimension length and lower bound (1).
    private static func writeBinaryArray(_ element: PGType, _ elements: [PGCell], into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(elements.isEmpty ? 0 : 1))
        buffer.writeInteger(Int32(elements.contains(.null) ? 1 : 0))
        buffer.writeInteger(element.oid)
        if !elements.isEmpty {
            buffer.writeInteger(Int32(elements.count))
            buffer.writeInteger(Int32(1))
        }
        for cell in elements { cell.encodeField(format: .binary, into: &buffer) }
    }
}
