/// The kind of a lexical token. Literal and identifier texts are not stored in the token: the parser reads them
/// from the source bytes only when it builds an AST node, so lexing allocates nothing per token.
public enum TokenKind: Hashable, Sendable {
    /// An unquoted word that is not a keyword.
    case identifier
    /// A keyword (reserved or not).
    case keyword(Keyword)
    /// `` `x` `` — case is kept; a doubled backtick stands for one.
    case backquotedIdentifier
    /// `"x"` — case is kept; a doubled quote stands for one.
    case doubleQuotedIdentifier
    /// `'text'` — a doubled quote stands for one.
    case string
    /// Digits only.
    case integer
    /// Digits with a decimal point, no exponent (ksqlDB types it DECIMAL).
    case decimal
    /// A number with an exponent (DOUBLE).
    case double
    /// `${name}`: a DEFINE variable that was not substituted before parsing.
    case variable
    /// `$1`: a PostgreSQL positional parameter.
    case parameter

    // MARK: - Punctuation and operators
    case comma, period, semicolon, leftParen, rightParen, leftBracket, rightBracket
    case plus, minus, star, slash, percent, concat
    case equal, notEqual, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
    case arrow, fatArrow, colonEqual, doubleColon

    // MARK: - Problems the parser reports (the lexer itself never fails)
    /// A string literal with no closing quote.
    case unterminatedString
    /// A quoted identifier with no closing quote.
    case unterminatedQuotedIdentifier
    /// A `/*` comment with no closing `*/`.
    case unterminatedComment
    /// A byte that starts no token.
    case invalid
    /// The end of the input.
    case endOfInput

    /// How the token kind is named in an error message.
    public var displayName: String {
        switch self {
        case .identifier, .backquotedIdentifier, .doubleQuotedIdentifier: "identifier"
        case .keyword(let keyword): keyword.rawValue
        case .string, .unterminatedString: "string literal"
        case .integer, .decimal, .double: "number"
        case .variable: "variable"
        case .parameter: "parameter"
        case .unterminatedQuotedIdentifier: "quoted identifier"
        case .unterminatedComment: "comment"
        case .invalid: "character"
        case .endOfInput: "end of input"
        default: "'\(symbol)'"
        }
    }

    /// The text of a punctuation or operator token; empty for other kinds.
    public var symbol: String {
        switch self {
        case .comma: ","
        case .period: "."
        case .semicolon: ";"
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .concat: "||"
        case .equal: "="
        case .notEqual: "<>"
        case .lessThan: "<"
        case .lessThanOrEqual: "<="
        case .greaterThan: ">"
        case .greaterThanOrEqual: ">="
        case .arrow: "->"
        case .fatArrow: "=>"
        case .colonEqual: ":="
        case .doubleColon: "::"
        default: ""
        }
    }
}
