/// Splits a script into statements on `;` outside quotes and comments, using the lexer, so that the shell and
/// `RUN SCRIPT` see exactly the boundaries the parser would.
///
/// Text after the last `;` is returned as `remainder`; `remainderIsUnterminated` tells a shell that
/// the remainder ends inside an unclosed quote or comment (a remainder without its `;` is incomplete too).
public struct StatementSplitter {
    /// One statement's text (without its `;`) and where it starts in the script.
    public struct Piece: Hashable, Sendable {
        public var text: String
        public var start: SourceLocation
    }

    /// The result of splitting a script.
    public struct Result: Hashable, Sendable {
        /// Complete statements, each ended by `;` in the script; blank ones are dropped.
        public var statements: [Piece]
        /// Text after the last `;`, if any non-blank text remains.
        public var remainder: Piece?
        /// Whether the remainder ends inside a quote or comment.
        public var remainderIsUnterminated: Bool
    }

    /// Splits `script`.
    public static func split(_ script: String) -> Result {
        let bytes = Array(script.utf8)
        var lexer = Lexer(bytes)
        var statements: [Piece] = []
        var first: Token?
        var unterminated = false
        while true {
            let token = lexer.next()
            switch token.kind {
            case .endOfInput:
                let remainder = first.map { piece(bytes, from: $0.span.start, to: bytes.count) }
                return Result(statements: statements, remainder: remainder, remainderIsUnterminated: unterminated)
            case .semicolon:
                if let start = first {
                    statements.append(piece(bytes, from: start.span.start, to: token.span.start.offset))
                }
                first = nil
            case .unterminatedString, .unterminatedQuotedIdentifier, .unterminatedComment:
                unterminated = true
                if first == nil { first = token }
            default:
                if first == nil { first = token }
            }
        }
    }

    private static func piece(_ bytes: [UInt8], from start: SourceLocation, to end: Int) -> Piece {
        var upper = end
        while upper > start.offset, isSpace(bytes[upper - 1]) { upper -= 1 }
        return Piece(text: String(decoding: bytes[start.offset..<upper], as: UTF8.self), start: start)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}
