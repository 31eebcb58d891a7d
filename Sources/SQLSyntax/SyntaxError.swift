/// A statement that does not follow the grammar: where (line, column, byte offset, span of the offending
/// token), what was found, what was expected, and a hint when one is obvious (a misspelt keyword, a missing
/// comma, an unclosed quote or comment).
///
/// Maps to SQLSTATE 42601 (syntax_error) at the wire edge, with `span.start` as the error position.
public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code for the kind of problem, for tests and tools.
    public enum Code: String, Hashable, Sendable {
        case unexpectedToken
        case unterminatedString
        case unterminatedQuotedIdentifier
        case unterminatedComment
        case invalidCharacter
        case emptyQuotedIdentifier
        case undefinedVariable
        case numberOutOfRange
        case nestingTooDeep
        case emptyStatement
    }

    public var code: Code
    /// What went wrong, in a sentence without the position.
    public var message: String
    /// The span of the offending token (its exact position: spans ignore equality elsewhere, not here).
    public var span: SourceSpan
    /// The offending token's text, or `end of input`.
    public var token: String
    /// What the grammar allows at this point, in the order the parser tried them.
    public var expected: [String]
    /// A suggestion, such as `did you mean FROM?`.
    public var hint: String?

    public init(
        code: Code, message: String, span: SourceSpan, token: String, expected: [String] = [], hint: String? = nil
    ) {
        self.code = code
        self.message = message
        self.span = span
        self.token = token
        self.expected = expected
        self.hint = hint
    }

    public var line: Int { span.start.line }
    public var column: Int { span.start.column }
    public var offset: Int { span.start.offset }

    public var description: String {
        var text = "syntax error at line \(line), column \(column): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    public static func == (lhs: SyntaxError, rhs: SyntaxError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.span.start == rhs.span.start
            && lhs.span.end == rhs.span.end && lhs.token == rhs.token && lhs.expected == rhs.expected
            && lhs.hint == rhs.hint
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(span.start)
        hasher.combine(message)
    }
}
