/// A cursor over the UTF-8 bytes of one JSON document (RFC 8259): tokens, strings, numbers, skipping.
///
/// Strict JSON: no comments, no trailing commas, no leading zeros, no NaN tokens, no control characters
/// inside strings, escapes validated (`\uD83D\uDE00` surrogate pairs combine; a lone surrogate is an
/// error). Invalid UTF-8 inside strings is replaced by U+FFFD rather than rejected. Every error is a
/// `RelationalError(.malformedRecord)` naming the byte offset.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Reused buffer for strings with escapes.
    var scratch: [UInt8]
    let maxDepth: Int

    init(_ bytes: UnsafeRawBufferPointer, scratch: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.scratch = scratch
        self.maxDepth = maxDepth
    }

    // MARK: - Tokens

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    /// The next significant byte, not consumed.
    @inline(__always)
    mutating func peek() throws(RelationalError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(RelationalError) {
        guard try peek() == byte else { throw error("expected \(what)") }
        index += 1
    }

    mutating func expectEnd() throws(RelationalError) {
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    /// Consumes `true`, `false` or `null` (the one starting at the current byte).
    mutating func literal(_ word: StaticString) throws(RelationalError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("invalid literal") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    func error(_ message: String) -> RelationalError {
        RelationalError(.malformedRecord, "malformed JSON: \(message) at byte \(index)")
    }

    func checkDepth(_ depth: Int) throws(RelationalError) {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    }

    // MARK: - Strings

    /// Scans the string at the current `"`; returns its content range and whether it holds escapes.
    mutating func scanString() throws(RelationalError) -> (start: Int, end: Int, escaped: Bool) {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            // Eight bytes at a time while none of them is a quote, a backslash or a control character (SWAR: a
            // word has a byte below n when (x - n·0x01…) & ~x & 0x80… is not zero). A flagged byte may be a false
            // hit, but only above (after) a true one, whose borrow caused it: the first flagged byte is a true one,
            // and the scan jumps straight to it.
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = ((quote &- 0x0101_0101_0101_0101) & ~quote
                    | (backslash &- 0x0101_0101_0101_0101) & ~backslash
                    | (word &- 0x2020_2020_2020_2020) & ~word) & 0x8080_8080_8080_8080
                if special != 0 {
                    index += special.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw error("control character in string")
            } else {
                index += 1
            }
        }
        throw error("unterminated string")
    }

    mutating func skipEscape() throws(RelationalError) {
        guard index + 1 < bytes.count else { throw error("unterminated string") }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            guard index + 6 <= bytes.count, hex4(at: index + 2) != nil else { throw error("invalid \\u escape") }
            index += 6
        default:
            throw error("invalid escape")
        }
    }

    func hex4(at offset: Int) -> UInt32? {
        var value: UInt32 = 0
        for position in offset..<offset + 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    func slice(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Reads the string at the current `"`.
    mutating func readString() throws(RelationalError) -> String {
        let (start, end, escaped) = try scanString()
        guard escaped else { return String(decoding: slice(start, end), as: UTF8.self) }
        try unescape(start, end)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Writes the unescaped content of a scanned string into `scratch`.
    mutating func unescape(_ start: Int, _ end: Int) throws(RelationalError) {
        scratch.removeAll(keepingCapacity: true)
        var position = start
        while position < end {
            let byte = bytes[position]
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                position += 1
                continue
            }
            let kind = bytes[position + 1]
            position += 2
            switch kind {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"): position = try unescapeUnicode(at: position, end: end)
            default: scratch.append(kind)
            }
        }
    }

    /// Decodes the 4 hex digits at `position` (and a following low surrogate escape); returns the new position.
    mutating func unescapeUnicode(at position: Int, end: Int) throws(RelationalError) -> Int {
        let unit = hex4(at: position)!
        var scalar = unit
        var next = position + 4
        if (0xD800...0xDBFF).contains(unit) {
            guard next + 6 <= end, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                let low = hex4(at: next + 2), (0xDC00...0xDFFF).contains(low)
            else { throw error("unpaired surrogate in \\u escape") }
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            next += 6
        } else if (0xDC00...0xDFFF).contains(unit) {
            throw error("unpaired surrogate in \\u escape")
        }
        appendUTF8(scalar)
        return next
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Numbers

    /// A scanned JSON number: its text range and, when it has at most 19 significant digits, its digits
    /// as an integer and the decimal exponent that scales them.
    struct NumberToken {
        var start: Int
        var end: Int
        var negative = false
        var isIntegral = true
        var mantissa: UInt64 = 0
        var digitsOverflow = false
        /// value = ±mantissa × 10^exponent10 (when !digitsOverflow).
        var exponent10 = 0
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at the current byte.
    mutating func scanNumber() throws(RelationalError) -> NumberToken {
        var token = NumberToken(start: index, end: index)
        if bytes[index] == UInt8(ascii: "-") {
            token.negative = true
            index += 1
        }
        guard index < bytes.count, bytes[index] &- 0x30 < 10 else { throw error("invalid number") }
        if bytes[index] == 0x30 {
            index += 1
            if index < bytes.count, bytes[index] &- 0x30 < 10 { throw error("leading zero in number") }
        } else {
            accumulateDigits(&token, fraction: false)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            token.isIntegral = false
            guard index < bytes.count, bytes[index] &- 0x30 < 10 else { throw error("invalid number") }
            accumulateDigits(&token, fraction: true)
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            token.isIntegral = false
            try scanExponent(&token)
        }
        token.end = index
        return token
    }

    @inline(__always)
    mutating func accumulateDigits(_ token: inout NumberToken, fraction: Bool) {
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return }
            if token.mantissa <= (UInt64.max - 9) / 10 {
                token.mantissa = token.mantissa * 10 + UInt64(digit)
                if fraction { token.exponent10 -= 1 }
            } else {
                token.digitsOverflow = true
            }
            index += 1
        }
    }

    mutating func scanExponent(_ token: inout NumberToken) throws(RelationalError) {
        index += 1
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count, bytes[index] &- 0x30 < 10 else { throw error("invalid number exponent") }
        var exponent = 0
        while index < bytes.count, bytes[index] &- 0x30 < 10 {
            exponent = min(exponent * 10 + Int(bytes[index] &- 0x30), 1_000_000)
            index += 1
        }
        token.exponent10 += negative ? -exponent : exponent
    }

    static let exactPowersOfTen: [Double] = (0...22).map { power in
        var value = 1.0
        for _ in 0..<power { value *= 10 }
        return value
    }

    /// The correctly rounded double: an exact fast path (Clinger) when the digits and the power of ten are
    /// both exact doubles, else the standard library's correctly rounded parser on the token's text.
    func double(_ token: NumberToken) -> Double {
        if !token.digitsOverflow, token.mantissa <= 1 << 53, (-22...22).contains(token.exponent10) {
            var value = Double(token.mantissa)
            let power = Self.exactPowersOfTen[abs(token.exponent10)]
            value = token.exponent10 < 0 ? value / power : value * power
            return token.negative ? -value : value
        }
        return Double(String(decoding: slice(token.start, token.end), as: UTF8.self)) ?? .nan
    }

    /// The number as an Int64: exact for integers; a fraction or exponent truncates toward zero (ksqlDB
    /// uses Jackson's `longValue()`); beyond Int64 is `numericValueOutOfRange`.
    func int64(_ token: NumberToken, typeName: @autoclosure () -> String) throws(RelationalError) -> Int64 {
        if token.isIntegral, !token.digitsOverflow {
            let limit = token.negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
            if token.mantissa <= limit {
                return token.negative ? Int64(truncatingIfNeeded: 0 &- token.mantissa) : Int64(token.mantissa)
            }
        }
        let text = slice(token.start, token.end)
        if let decimal = try? SQLDecimal(parsingUTF8: text) {
            let whole = decimal.unscaled / SQLDecimal.powersOfTen[decimal.scale]
            if let value = Int64(exactly: whole) { return value }
        } else {
            if let value = try? Value.truncatedInt64(double(token), target: .bigint) { return value }
        }
        throw RelationalError(
            .numericValueOutOfRange,
            "value \(String(decoding: text.prefix(40), as: UTF8.self)) is out of range for type \(typeName())")
    }

    // MARK: - Skipping and copying

    /// Skips one value of any type, validating it.
    mutating func skipValue(depth: Int) throws(RelationalError) {
        switch try peek() {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "{"): try skipContainer(close: UInt8(ascii: "}"), object: true, depth: depth + 1)
        case UInt8(ascii: "["): try skipContainer(close: UInt8(ascii: "]"), object: false, depth: depth + 1)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), 0x30...0x39: _ = try scanNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func skipContainer(close: UInt8, object: Bool, depth: Int) throws(RelationalError) {
        try checkDepth(depth)
        index += 1
        if try peek() == close {
            index += 1
            return
        }
        while true {
            if object {
                guard try peek() == UInt8(ascii: "\"") else { throw error("expected a field name") }
                _ = try scanString()
                try expect(UInt8(ascii: ":"), "':'")
            }
            try skipValue(depth: depth)
            let next = try peek()
            index += 1
            if next == close { return }
            guard next == UInt8(ascii: ",") else {
                index -= 1
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
            }
        }
    }

    /// Skips one value and appends its compact text (whitespace outside strings removed) to `out`.
    mutating func copyValue(depth: Int, to out: inout [UInt8]) throws(RelationalError) {
        let first = try peek()
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            let start = index
            try skipValue(depth: depth)
            out.append(contentsOf: slice(start, index))
            return
        }
        let close = first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        try checkDepth(depth + 1)
        index += 1
        out.append(first)
        if try peek() == close {
            index += 1
            out.append(close)
            return
        }
        while true {
            if first == UInt8(ascii: "{") {
                guard try peek() == UInt8(ascii: "\"") else { throw error("expected a field name") }
                let start = index
                _ = try scanString()
                out.append(contentsOf: slice(start, index))
                try expect(UInt8(ascii: ":"), "':'")
                out.append(UInt8(ascii: ":"))
            }
            try copyValue(depth: depth + 1, to: &out)
            let next = try peek()
            guard next == close || next == UInt8(ascii: ",") else { throw error("expected ',' or a closing bracket") }
            index += 1
            out.append(next)
            if next == close { return }
        }
    }
}
