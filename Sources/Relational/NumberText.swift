/// Parsing numbers and booleans from text, shared by CAST and by the text-based formats.
///
/// Integers: optional sign and decimal digits only (Java's `Long.parseLong`, which ksqlDB uses), never
/// through Double. Doubles: decimal notation with optional exponent, `NaN`, `Infinity`, `-Infinity`
/// (Java's spellings, which ksqlDB's JSON writer emits), correctly rounded by the standard library.
/// Surrounding ASCII whitespace is the caller's choice (`trimmed`).
public enum NumberText {
    /// Trims ASCII spaces, tabs, CR and LF.
    public static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// An Int64 from `[+-]digits`; `invalidTextRepresentation` or `numericValueOutOfRange` otherwise.
    public static func parseInt64(_ bytes: UnsafeRawBufferPointer, typeName: String = "bigint")
        throws(RelationalError) -> Int64
    {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { throw invalid(bytes, typeName) }
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { throw invalid(bytes, typeName) }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            overflow = overflow || o1 || o2
            magnitude = sum
            index += 1
        }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard !overflow, magnitude <= limit else { throw outOfRange(bytes, typeName) }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// An Int32 from `[+-]digits`.
    public static func parseInt32(_ bytes: UnsafeRawBufferPointer) throws(RelationalError) -> Int32 {
        let wide: Int64
        do { wide = try parseInt64(bytes, typeName: "integer") } catch { throw error }
        guard let value = Int32(exactly: wide) else { throw outOfRange(bytes, "integer") }
        return value
    }

    /// A Double from decimal text or NaN / Infinity / -Infinity (also `+Infinity`, `inf`, case-insensitive).
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) throws(RelationalError) -> Double {
        if let special = specialDouble(bytes) { return special }
        guard isDecimalSyntax(bytes) else { throw invalid(bytes, "double precision") }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else {
            throw invalid(bytes, "double precision")
        }
        return value
    }

    static func specialDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var body = bytes[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        let word = String(decoding: body.prefix(9), as: UTF8.self).lowercased()
        guard body.count <= 9 else { return nil }
        switch word {
        case "nan": return negative ? nil : .nan
        case "infinity", "inf": return negative ? -.infinity : .infinity
        default: return nil
        }
    }

    /// `[+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]`.
    static func isDecimalSyntax(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissaDigits = 0
        while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1; mantissaDigits += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            var exponentDigits = 0
            while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return index == bytes.count
    }

    /// PostgreSQL's boolean spellings, case-insensitive: true/false, t/f, yes/no, y/n, on/off, 1/0.
    public static func parseBoolean(_ bytes: UnsafeRawBufferPointer) throws(RelationalError) -> Bool {
        guard bytes.count <= 5 else { throw invalid(bytes, "boolean") }
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "true", "t", "yes", "y", "on", "1": return true
        case "false", "f", "no", "n", "off", "0": return false
        default: throw invalid(bytes, "boolean")
        }
    }

    static func invalid(_ bytes: UnsafeRawBufferPointer, _ typeName: String) -> RelationalError {
        RelationalError(
            .invalidTextRepresentation,
            "invalid input syntax for type \(typeName): \"\(String(decoding: bytes.prefix(80), as: UTF8.self))\"")
    }

    static func outOfRange(_ bytes: UnsafeRawBufferPointer, _ typeName: String) -> RelationalError {
        RelationalError(
            .numericValueOutOfRange,
            "value \"\(String(decoding: bytes.prefix(80), as: UTF8.self))\" is out of range for type \(typeName)")
    }

    /// Runs `body` over the UTF-8 bytes of `text` (contiguous strings are not copied).
    static func withUTF8<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws(RelationalError) -> R)
        throws(RelationalError) -> R
    {
        var copy = text
        let result: Result<R, RelationalError> = copy.withUTF8 { buffer in
            do throws(RelationalError) { return .success(try body(UnsafeRawBufferPointer(buffer))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The text of a double: the shortest round-trip digits, `NaN`, `Infinity`, `-Infinity`.
    public static func doubleText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }
}
