/// Splits SQL text into tokens, byte by byte over its UTF-8 encoding.
///
/// The lexer never fails: a problem (an unclosed quote or comment, a stray byte) becomes a token of a problem
/// kind that the parser reports with a hint, and that the statement splitter uses to tell an incomplete
/// statement from a complete one. Whitespace and comments (`-- …` to end of line, `/* … */`, not nested, as in
/// ksqlDB) are skipped. Line and column are tracked incrementally, so lexing is linear in the input.
public struct Lexer: Sendable {
    public let bytes: [UInt8]
    private var position = 0
    private var cursor = SourceLocation.start

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {  // a UTF-8 byte order mark, as editors write in script files
            position = 3
            cursor = SourceLocation(offset: 3, line: 1, column: 1)
        }
    }
    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// All tokens of `text`, ending with one `.endOfInput` token.
    public static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var lexer = Lexer(bytes)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4 + 2)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    /// The next token; `.endOfInput` forever once the input is exhausted.
    public mutating func next() -> Token {
        skipTrivia()
        let start = position
        guard position < bytes.count else { return token(.endOfInput, from: start) }
        let kind = scanToken()
        return token(kind, from: start)
    }

    // MARK: - Locations

    private mutating func token(_ kind: TokenKind, from start: Int) -> Token {
        let startLocation = location(at: start)
        let endLocation = location(at: position)
        return Token(kind: kind, span: SourceSpan(start: startLocation, end: endLocation))
    }

    /// The location of `offset`, which must not be before the last location asked for.
    private mutating func location(at offset: Int) -> SourceLocation {
        var line = cursor.line
        var column = cursor.column
        bytes.withUnsafeBufferPointer { bytes in
            for index in cursor.offset..<max(offset, cursor.offset) {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
        }
        cursor = SourceLocation(offset: offset, line: line, column: column)
        return cursor
    }

    // MARK: - Trivia

    private func peek(_ ahead: Int = 0) -> UInt8 {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : 0
    }

    private mutating func skipTrivia() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                position += 1
            } else if byte == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-") {
                while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") && hasCommentEnd() {
                position += 2
                while !(bytes[position] == UInt8(ascii: "*") && bytes[position + 1] == UInt8(ascii: "/")) {
                    position += 1
                }
                position += 2
            } else {
                return
            }
        }
    }

    /// Whether the `/*` at the current position is closed; an unclosed one becomes a token.
    private func hasCommentEnd() -> Bool {
        var index = position + 2
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") { return true }
            index += 1
        }
        return false
    }

    // MARK: - Tokens

    private mutating func scanToken() -> TokenKind {
        let byte = bytes[position]
        if Lexer.isIdentifierStart(byte) { return scanWord() }
        if Lexer.isDigit(byte) || (byte == UInt8(ascii: ".") && Lexer.isDigit(peek(1))) { return scanNumber() }
        switch byte {
        case UInt8(ascii: "'"): return scanQuoted(UInt8(ascii: "'"), complete: .string, incomplete: .unterminatedString)
        case UInt8(ascii: "`"):
            return scanQuoted(byte, complete: .backquotedIdentifier, incomplete: .unterminatedQuotedIdentifier)
        case UInt8(ascii: "\""):
            return scanQuoted(byte, complete: .doubleQuotedIdentifier, incomplete: .unterminatedQuotedIdentifier)
        case UInt8(ascii: "$"): return scanDollar()
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
            position = bytes.count
            return .unterminatedComment
        default: return scanOperator(byte)
        }
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// Letters, digits, `_` and any non-ASCII byte, by bit masks over the ASCII range.
    @inline(__always)
    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        let digits: UInt64 = 0x03FF_0000_0000_0000  // 0x30...0x39
        let lettersAndUnderscore: UInt64 = 0x07FF_FFFE_87FF_FFFE  // 0x41...0x5A, 0x5F, 0x61...0x7A
        return byte < 64 ? (digits >> byte) & 1 == 1 : (lettersAndUnderscore >> (byte - 64)) & 1 == 1
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func scanWord() -> TokenKind {
        let start = position
        var end = position
        var isASCII = true
        let keyword: Keyword? = bytes.withUnsafeBufferPointer { bytes in
            while end < bytes.count && Lexer.isIdentifierPart(bytes[end]) {
                if bytes[end] >= 0x80 { isASCII = false }
                end += 1
            }
            guard isASCII, end - start <= Keyword.maximumLength else { return nil }
            return KeywordTable.lookup(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        position = end
        return keyword.map { .keyword($0) } ?? .identifier
    }

    static func upperCased(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    private mutating func scanNumber() -> TokenKind {
        var kind = TokenKind.integer
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            kind = .decimal
            position += 1
            skipDigits()
        }
        let exponent = peek()
        if exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            let sign = peek(1)
            let signLength = (sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")) ? 1 : 0
            if Lexer.isDigit(peek(1 + signLength)) {
                kind = .double
                position += 1 + signLength
                skipDigits()
            }
        }
        if position < bytes.count && Lexer.isIdentifierPart(bytes[position]) {
            while position < bytes.count && Lexer.isIdentifierPart(bytes[position]) { position += 1 }
            return .invalid
        }
        return kind
    }

    private mutating func skipDigits() {
        while position < bytes.count && Lexer.isDigit(bytes[position]) { position += 1 }
    }

    /// A quoted token where a doubled quote stands for one quote character.
    private mutating func scanQuoted(_ quote: UInt8, complete: TokenKind, incomplete: TokenKind) -> TokenKind {
        position += 1
        while position < bytes.count {
            if bytes[position] == quote {
                if peek(1) == quote {
                    position += 2
                    continue
                }
                position += 1
                return complete
            }
            position += 1
        }
        return incomplete
    }

    /// `${name}` (a variable) or `$1` (a parameter).
    private mutating func scanDollar() -> TokenKind {
        if Lexer.isDigit(peek(1)) {
            position += 1
            skipDigits()
            return .parameter
        }
        if peek(1) == UInt8(ascii: "{") {
            var index = position + 2
            while index < bytes.count && Lexer.isIdentifierPart(bytes[index]) { index += 1 }
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") && index > position + 2 {
                position = index + 1
                return .variable
            }
        }
        position += 1
        return .invalid
    }

    private mutating func scanOperator(_ byte: UInt8) -> TokenKind {
        let second = peek(1)
        if let kind = Lexer.twoByteOperator(byte, second) {
            position += 2
            return kind
        }
        position += 1
        return Lexer.oneByteOperator(byte) ?? invalidCharacter(startingWith: byte)
    }

    /// Consumes the rest of a multi-byte UTF-8 character so that the invalid token covers all of it.
    private mutating func invalidCharacter(startingWith byte: UInt8) -> TokenKind {
        while position < bytes.count && bytes[position] & 0xC0 == 0x80 { position += 1 }
        return .invalid
    }

    private static func twoByteOperator(_ first: UInt8, _ second: UInt8) -> TokenKind? {
        switch (first, second) {
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): .concat
        case (UInt8(ascii: "<"), UInt8(ascii: ">")), (UInt8(ascii: "!"), UInt8(ascii: "=")): .notEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): .lessThanOrEqual
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): .greaterThanOrEqual
        case (UInt8(ascii: "-"), UInt8(ascii: ">")): .arrow
        case (UInt8(ascii: "="), UInt8(ascii: ">")): .fatArrow
        case (UInt8(ascii: ":"), UInt8(ascii: "=")): .colonEqual
        case (UInt8(ascii: ":"), UInt8(ascii: ":")): .doubleColon
        default: nil
        }
    }

    private static func oneByteOperator(_ byte: UInt8) -> TokenKind? {
        switch byte {
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "."): .period
        case UInt8(ascii: ";"): .semicolon
        case UInt8(ascii: "("): .leftParen
        case UInt8(ascii: ")"): .rightParen
        case UInt8(ascii: "["): .leftBracket
        case UInt8(ascii: "]"): .rightBracket
        case UInt8(ascii: "+"): .plus
        case UInt8(ascii: "-"): .minus
        case UInt8(ascii: "*"): .star
        case UInt8(ascii: "/"): .slash
        case UInt8(ascii: "%"): .percent
        case UInt8(ascii: "="): .equal
        case UInt8(ascii: "<"): .lessThan
        case UInt8(ascii: ">"): .greaterThan
        default: nil
        }
    }
}
