extension Parser {
    // MARK: - Identifiers

    /// Whether a token can be read as an identifier: a word, a quoted name, or a non-reserved keyword.
    static func isIdentifier(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .backquotedIdentifier, .doubleQuotedIdentifier: true
        case .keyword(let keyword): !keyword.isReserved
        default: false
        }
    }

    var atIdentifier: Bool { Parser.isIdentifier(current.kind) }

    mutating func parseIdentifier() throws(SyntaxError) -> Identifier {
        let token = current
        switch token.kind {
        case .identifier:
            advance()
            return Identifier(upperCasedText(token.range), span: token.span)
        case .keyword(let keyword) where !keyword.isReserved:
            advance()
            return Identifier(keyword.rawValue, span: token.span)
        case .backquotedIdentifier, .doubleQuotedIdentifier:
            let value = unquote(token)
            guard !value.isEmpty else {
                throw error(.emptyQuotedIdentifier, "a quoted identifier cannot be empty", hint: "give it a name")
            }
            advance()
            return Identifier(value, span: token.span)
        default:
            note(.what("identifier"))
            throw unexpected()
        }
    }

    /// The bytes of `range` with ASCII letters upper-cased, built in place (one allocation at most).
    func upperCasedText(_ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count) { buffer in
            for index in range { buffer[index - range.lowerBound] = Lexer.upperCased(source[index]) }
            return range.count
        }
    }

    /// The text between the quotes of a string or quoted identifier, with doubled quotes reduced to one.
    func unquote(_ token: Token) -> String {
        let range = token.range
        guard range.count >= 2 else { return "" }
        let quote = source[range.lowerBound]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count - 2)
        var position = range.lowerBound + 1
        let end = range.upperBound - 1
        while position < end {
            let byte = source[position]
            bytes.append(byte)
            position += (byte == quote && position + 1 < end && source[position + 1] == quote) ? 2 : 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Literals

    mutating func parseString() throws(SyntaxError) -> String {
        let token = current
        guard token.kind == .string else {
            note(.what("string literal"))
            throw unexpected()
        }
        advance()
        return unquote(token)
    }

    /// An unsigned integer that must fit in 64 bits.
    mutating func parseInt64() throws(SyntaxError) -> Int64 {
        let token = current
        guard token.kind == .integer else {
            note(.what("integer"))
            throw unexpected()
        }
        var value: Int64 = 0
        for byte in source[token.range] {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - 0x30))
            if overflow1 || overflow2 {
                throw error(.numberOutOfRange, "number \(text(of: token)) is too large", hint: "the limit is 2^63-1")
            }
            value = sum
        }
        advance()
        return value
    }

    /// An unsigned integer that must fit in `Int` and be at most `limit`.
    mutating func parseSmallInt(limit: Int) throws(SyntaxError) -> Int {
        let value = try parseInt64()
        guard value <= Int64(limit) else {
            index -= 1
            throw error(.numberOutOfRange, "number \(value) is too large here", hint: "the limit is \(limit)")
        }
        return Int(value)
    }

    /// `n unit`, as in `10 MINUTES`.
    mutating func parseDuration() throws(SyntaxError) -> WindowDuration {
        let start = current.span.start
        let value = try parseInt64()
        guard let keyword = current.keyword, let unit = TimeUnit(keyword) else {
            note(.what("time unit"))
            throw unexpected()
        }
        advance()
        return WindowDuration(value, unit, span: span(from: start))
    }

    /// A parenthesized, comma-separated list of identifiers: `(a, b, c)`.
    mutating func parseIdentifierList() throws(SyntaxError) -> [Identifier] {
        try expect(.leftParen)
        var names = [try parseIdentifier()]
        while accept(.comma) { names.append(try parseIdentifier()) }
        try expect(.rightParen)
        return names
    }
}
