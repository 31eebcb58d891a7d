/// Replaces `${name}` references with the values of DEFINE variables, as ksqlDB does before parsing.
///
/// References are replaced everywhere except inside comments, including inside string literals and quoted
/// identifiers (so `KAFKA_TOPIC='${topic}'` works). Names are matched case-insensitively (DEFINE upper-cases
/// an unquoted name). An undefined variable is a `SyntaxError` at the reference.
public enum VariableSubstitution {
    /// `text` with every `${name}` replaced by `variables[NAME]`; keys are compared upper-cased.
    public static func substitute(_ text: String, variables: [String: String]) throws(SyntaxError) -> String {
        try substituteTracking(text, variables: variables).text
    }

    /// The substituted text and where its bytes came from, so that an error found in it can point into what the
    /// user wrote.
    public struct Substitution: Sendable {
        public var text: String
        /// Each replaced reference: its bytes in `text` and in the original.
        var replacements: [(output: Range<Int>, input: Range<Int>)] = []

        public var changed: Bool { !replacements.isEmpty }

        /// The original byte offset of `offset` in `text`: inside a substituted value, its reference's `${`.
        public func originalOffset(_ offset: Int) -> Int {
            var shift = 0
            for r in replacements {
                if offset < r.output.lowerBound { break }
                if offset < r.output.upperBound { return r.input.lowerBound }
                shift = r.input.upperBound - r.output.upperBound
            }
            return offset + shift
        }
    }

    public static func substituteTracking(_ text: String, variables: [String: String]) throws(SyntaxError) -> Substitution {
        var replacements: [(output: Range<Int>, input: Range<Int>)] = []
        var normalized: [String: String] = [:]
        for (name, value) in variables { normalized[upperCased(name)] = value }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var scanner = Scanner(bytes: bytes)
        while scanner.position < bytes.count {
            if let comment = scanner.commentLength() {
                output.append(contentsOf: bytes[scanner.position..<scanner.position + comment])
                scanner.position += comment
            } else if let reference = scanner.referenceLength() {
                let nameBytes = bytes[(scanner.position + 2)..<(scanner.position + reference - 1)]
                let name = upperCased(String(decoding: nameBytes, as: UTF8.self))
                guard let value = normalized[name] else {
                    throw undefined(name, in: bytes, at: scanner.position, reference)
                }
                let start = output.count
                output.append(contentsOf: value.utf8)
                replacements.append((start..<output.count, scanner.position..<scanner.position + reference))
                scanner.position += reference
            } else {
                scanner.step(into: &output)
            }
        }
        return Substitution(text: String(decoding: output, as: UTF8.self), replacements: replacements)
    }

    static func upperCased(_ name: String) -> String {
        String(decoding: name.utf8.map(Lexer.upperCased), as: UTF8.self)
    }

    private static func undefined(_ name: String, in bytes: [UInt8], at offset: Int, _ length: Int) -> SyntaxError {
        var line = 1
        var column = 1
        for byte in bytes[0..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        let start = SourceLocation(offset: offset, line: line, column: column)
        let end = SourceLocation(offset: offset + length, line: line, column: column + length)
        let token = String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        return SyntaxError(
            code: .undefinedVariable, message: "variable \(name) is not defined",
            span: SourceSpan(start: start, end: end),
            token: token, hint: "DEFINE \(name) = '…' first")
    }

    /// Tracks whether the scan is inside a quote, where `--` and `/*` do not start comments.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var quote: UInt8?

        init(bytes: [UInt8]) { self.bytes = bytes }

        func byte(_ ahead: Int) -> UInt8 {
            position + ahead < bytes.count ? bytes[position + ahead] : 0
        }

        func commentLength() -> Int? {
            guard quote == nil else { return nil }
            if byte(0) == UInt8(ascii: "-") && byte(1) == UInt8(ascii: "-") {
                var end = position
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                return end - position
            }
            guard byte(0) == UInt8(ascii: "/") && byte(1) == UInt8(ascii: "*") else { return nil }
            var end = position + 2
            while end + 1 < bytes.count && !(bytes[end] == UInt8(ascii: "*") && bytes[end + 1] == UInt8(ascii: "/")) {
                end += 1
            }
            return min(end + 2, bytes.count) - position
        }

        func referenceLength() -> Int? {
            guard byte(0) == UInt8(ascii: "$") && byte(1) == UInt8(ascii: "{") else { return nil }
            var end = position + 2
            while end < bytes.count && Lexer.isIdentifierPart(bytes[end]) { end += 1 }
            guard end > position + 2, end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return nil }
            return end + 1 - position
        }

        /// Copies one byte, entering or leaving a quote.
        mutating func step(into output: inout [UInt8]) {
            let current = bytes[position]
            if let open = quote {
                if current == open { quote = nil }  // a doubled quote re-enters on the next byte
            } else if current == UInt8(ascii: "'") || current == UInt8(ascii: "`") || current == UInt8(ascii: "\"") {
                quote = current
            }
            output.append(current)
            position += 1
        }
    }
}
