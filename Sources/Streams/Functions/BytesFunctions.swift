import SluiceCore
import Relational

/// Conversions between text and bytes: ENCODE, TO_BYTES, FROM_BYTES, and the fixed-width integer and DOUBLE
/// readers BIGINT_FROM_BYTES, INT_FROM_BYTES, DOUBLE_FROM_BYTES.
///
/// Encodings (case-insensitive): `hex` (two digits a byte, either case, optionally `0x…` or `X'…'`; an odd
/// count is 22P02), `utf8`, `ascii`
/// (characters above U+007F become `?` when encoding, bytes above 0x7F become U+FFFD when decoding, as Java's
/// US-ASCII charset does) and `base64` (standard alphabet, padding optional). An unknown encoding is 22023.
/// The byte-order argument is `BIG_ENDIAN` (the default) or `LITTLE_ENDIAN`; a wrong length is 22023.
public enum BytesFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register(
            "ENCODE",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let from = a.string(1), let to = a.string(2) else { return .null }
                return .string(try encode(try decode(text, try encoding(from)), try encoding(to)))
            })
        library.register(
            "TO_BYTES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let name = a.string(1) else { return .null }
                return .bytes(try decode(text, try encoding(name)))
            })
        library.register(
            "FROM_BYTES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let bytes = a.bytes(0), let name = a.string(1) else { return .null }
                return .string(try encode(bytes, try encoding(name)))
            })
        library.register(
            "BIGINT_FROM_BYTES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .bigint(Int64(bitPattern: try fixedWidth(a, width: 8, "BIGINT_FROM_BYTES")))
            })
        library.register(
            "INT_FROM_BYTES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .int(Int32(truncatingIfNeeded: Int64(bitPattern: try fixedWidth(a, width: 4, "INT_FROM_BYTES"))))
            })
        library.register(
            "DOUBLE_FROM_BYTES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .double(Double(bitPattern: try fixedWidth(a, width: 8, "DOUBLE_FROM_BYTES")))
            })
        library.register(
            "MD5",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0) else { return .null }
                return .string(hex(MD5.hash(Array(text.utf8))))
            })
    }

    enum Encoding {
        case hex, utf8, ascii, base64
    }

    static func encoding(_ name: String) throws(EvaluationError) -> Encoding {
        switch name.lowercased() {
        case "hex": return .hex
        case "utf8", "utf-8": return .utf8
        case "ascii": return .ascii
        case "base64": return .base64
        default: throw FunctionSupport.invalid("unknown encoding '\(name)'; supported: hex, utf8, ascii, base64")
        }
    }

    /// Text in `encoding` to bytes.
    static func decode(_ text: String, _ encoding: Encoding) throws(EvaluationError) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .ascii: return text.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : UInt8(ascii: "?") }
        case .hex: return try unhex(stripHexPrefix(Array(text.utf8)))
        case .base64:
            guard let bytes = Base64.decode(text) else { throw EvaluationError("22P02", "invalid base64 text") }
            return bytes
        }
    }

    /// Bytes to text in `encoding`.
    static func encode(_ bytes: [UInt8], _ encoding: Encoding) throws(EvaluationError) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .ascii:
            var view = String.UnicodeScalarView()
            for byte in bytes { view.append(byte < 0x80 ? Unicode.Scalar(byte) : "\u{FFFD}") }
            return String(view)
        case .hex: return hex(bytes)
        case .base64: return Base64.encode(bytes)
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex digits, two per byte, no prefix.
    public static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// ksqlDB's hex spellings: `0xAB` (an odd digit count gets a leading zero) and `X'AB'` as well as `AB`.
    static func stripHexPrefix(_ text: [UInt8]) -> [UInt8] {
        if text.count >= 2, text[0] == UInt8(ascii: "0"), text[1] == UInt8(ascii: "x") {
            let digits = Array(text[2...])
            return digits.count % 2 == 0 ? digits : [UInt8(ascii: "0")] + digits
        }
        if text.count >= 3, text[0] | 0x20 == UInt8(ascii: "x"), text[1] == UInt8(ascii: "'"),
            text.last == UInt8(ascii: "'")
        {
            return Array(text[2..<(text.count - 1)])
        }
        return text
    }

    static func unhex(_ text: [UInt8]) throws(EvaluationError) -> [UInt8] {
        guard text.count % 2 == 0 else { throw EvaluationError("22P02", "hex text must have an even number of digits") }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var index = 0
        while index < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else {
                throw EvaluationError("22P02", "invalid hex digit in encoded text")
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// The bytes as a big- or little-endian unsigned integer of exactly `width` bytes.
    static func fixedWidth(_ a: UnsafeBufferPointer<Value>, width: Int, _ function: String) throws(EvaluationError)
        -> UInt64
    {
        guard let bytes = a.bytes(0) else { return 0 }
        var littleEndian = false
        if let order = a.string(1) {
            switch order.uppercased() {
            case "BIG_ENDIAN": littleEndian = false
            case "LITTLE_ENDIAN": littleEndian = true
            default:
                throw FunctionSupport.invalid(
                    "\(function): byte order must be BIG_ENDIAN or LITTLE_ENDIAN, got '\(order)'")
            }
        }
        guard bytes.count == width else {
            throw FunctionSupport.invalid("\(function): expected \(width) bytes, got \(bytes.count)")
        }
        var value: UInt64 = 0
        for byte in littleEndian ? bytes.reversed() : bytes { value = value << 8 | UInt64(byte) }
        return value
    }
}
