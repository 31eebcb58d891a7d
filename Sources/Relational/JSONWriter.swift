import SluiceCore
/// Writes JSON text into a byte buffer: values by SQL type, as ksqlDB's JSON format writes them.
///
/// - Strings escape `"`, `\` and control characters (`\n`, `\t`, … and `\u00XX`); other characters are
///   written as UTF-8 unchanged.
/// - DOUBLE is the shortest text that reads back to the same bits; NaN and ±Infinity, which JSON cannot
///   spell as numbers, are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (Jackson's default, and the
///   JSON decoder reads them back).
/// - DECIMAL is a JSON number in plain notation with its scale (`1.50`); DATE is the epoch day, TIME the
///   millisecond of the day, TIMESTAMP epoch milliseconds (ksqlDB writes them as numbers); BYTES is
///   base64 text; MAP is an object (keys as text); STRUCT an object with the type's field names.
public enum JSONWriter {
    /// Appends `value` of SQL type `type`. A value whose case does not match the type (a plan bug) is
    /// written by its case.
    public static func appendValue(_ value: Value, type: DataType, to out: inout [UInt8]) {
        switch value {
        case .null: appendLiteral("null", to: &out)
        case .boolean(let v): appendLiteral(v ? "true" : "false", to: &out)
        case .int(let v): appendInteger(Int64(v), to: &out)
        case .bigint(let v): appendInteger(v, to: &out)
        case .double(let v): appendDouble(v, to: &out)
        case .decimal(let v): v.appendText(to: &out)
        case .string(let v): appendString(v, to: &out)
        case .bytes(let v): appendBase64(v, to: &out)
        case .date(let v): appendInteger(Int64(v), to: &out)
        case .time(let v): appendInteger(Int64(v), to: &out)
        case .timestamp(let v): appendInteger(v, to: &out)
        case .array(let elements): appendArray(elements, type: type, to: &out)
        case .map(let entries): appendMap(entries, type: type, to: &out)
        case .struct(let fields): appendStruct(fields, type: type, to: &out)
        }
    }

    static func appendArray(_ elements: [Value], type: DataType, to out: inout [UInt8]) {
        var elementType = DataType.string
        if case .array(let t) = type { elementType = t }
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendValue(element, type: elementType, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendMap(_ entries: [Value.MapEntry], type: DataType, to out: inout [UInt8]) {
        var keyType = DataType.string
        var valueType = DataType.string
        if case .map(let k, let v) = type { (keyType, valueType) = (k, v) }
        out.append(UInt8(ascii: "{"))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if case .string(let key) = entry.key {
                appendString(key, to: &out)
            } else {
                appendString((try? Value.text(entry.key, type: keyType)) ?? "null", to: &out)
            }
            out.append(UInt8(ascii: ":"))
            appendValue(entry.value, type: valueType, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendStruct(_ values: [Value], type: DataType, to out: inout [UInt8]) {
        guard case .struct(let fields) = type, fields.count == values.count else {
            appendArray(values, type: .array(.string), to: &out)
            return
        }
        out.append(UInt8(ascii: "{"))
        for index in values.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(fields[index].name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(values[index], type: fields[index].type, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a decimal integer without allocating.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(UInt8(magnitude) + 0x30)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            // Two digits per division: half the dependent divisions of a 13-digit timestamp.
            var at = 20
            while magnitude >= 100 {
                let quotient = magnitude / 100
                let pair = UInt8(truncatingIfNeeded: magnitude &- quotient &* 100)
                digits[at - 1] = pair % 10 + 0x30
                digits[at - 2] = pair / 10 + 0x30
                at -= 2
                magnitude = quotient
            }
            if magnitude >= 10 {
                digits[at - 1] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                at -= 1
                magnitude /= 10
            }
            if magnitude > 0 {
                digits[at - 1] = UInt8(truncatingIfNeeded: magnitude) + 0x30
                at -= 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[at...]))
        }
    }

    /// Appends a double: shortest round-trip digits, or a quoted NaN/Infinity.
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            appendString(NumberText.doubleText(value), to: &out)
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int64(value), to: &out)
            appendLiteral(".0", to: &out)
            if value == 0, value.sign == .minus, out.count >= 3 { out.insert(UInt8(ascii: "-"), at: out.count - 3) }
            return
        }
        var text = value.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    static func appendBase64(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        Base64.encode(bytes, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a quoted, escaped JSON string.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable {
            appendString(utf8: UnsafeRawBufferPointer($0), to: &out)
        }
        if done == nil {
            var copy = value
            copy.withUTF8 { appendString(utf8: UnsafeRawBufferPointer($0), to: &out) }
        }
    }

    /// Appends a quoted, escaped JSON string from UTF-8 bytes.
    public static func appendString(utf8 bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            appendEscape(byte, to: &out)
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.append(contentsOf: [
                UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)],
            ])
        }
    }
}
