/// A hand-written recursive-descent parser for Sluice SQL (`Grammar/sluice.ebnf`), with precedence climbing
/// for expressions.
///
/// Entry points are the static `parse…` functions. The parser is a value that lives for one call; it is not
/// shared between threads. It never crashes on bad input: every failure is a `SyntaxError`, and nesting
/// (parentheses, subqueries, nested types, long operator chains) is capped at `maximumDepth` so that neither
/// the parser nor the recursive code that walks its AST can exhaust the stack.
public struct Parser {
    /// The deepest nesting the parser accepts before it reports `SyntaxError.Code.nestingTooDeep`.
    public static let maximumDepth = 200

    let source: [UInt8]
    let tokens: [Token]
    var index = 0
    var depth = 0
    /// What was tried and not found at token `expectedIndex`, for error messages.
    var expected: [Expectation] = []
    var expectedIndex = 0
    /// Whether `note` records expectations. Entry points parse without (a statement without errors never needs
    /// them) and parse again with them only to describe an error; see `parsing(_:_:)`.
    var tracksExpectations = false

    init(_ sql: String) {
        source = Array(sql.utf8)
        tokens = Lexer.tokenize(source)
    }

    /// Runs `body` over `sql` without recording expectations; on a syntax error, runs it again over the same tokens
    /// recording them, so that the error says what was expected. Parsing is deterministic, so the second run fails
    /// at the same token.
    static func parsing<T>(_ sql: String, _ body: (inout Parser) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
        var parser = Parser(sql)
        do {
            return try body(&parser)
        } catch let error {
            var describing = Parser(source: parser.source, tokens: parser.tokens)
            describing.tracksExpectations = true
            do { _ = try body(&describing) } catch let described { throw described }
            throw error
        }
    }

    private init(source: [UInt8], tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    // MARK: - Entry points

    /// Parses a script: statements separated by `;` (the last `;` is optional). Empty statements are skipped.
    public static func parse(_ sql: String) throws(SyntaxError) -> [Statement] {
        try parsing(sql) { (parser) throws(SyntaxError) in try parser.parseScript() }
    }

    /// Parses exactly one statement, optionally followed by `;`.
    public static func parseStatement(_ sql: String) throws(SyntaxError) -> Statement {
        try parsing(sql) { (parser) throws(SyntaxError) in try parser.parseOneStatement() }
    }

    private mutating func parseOneStatement() throws(SyntaxError) -> Statement {
        while accept(.semicolon) {}
        if current.kind == .endOfInput {
            throw error(.emptyStatement, "empty statement", expected: ["statement"])
        }
        let statement = try parseStatement()
        while accept(.semicolon) {}
        try expectEnd()
        return statement
    }

    /// Parses one expression, such as `a + 1 > b`.
    public static func parseExpression(_ sql: String) throws(SyntaxError) -> Expr {
        try parsing(sql) { (parser) throws(SyntaxError) in
            let expression = try parser.parseExpression()
            try parser.expectEnd()
            return expression
        }
    }

    /// Parses one type, such as `MAP<STRING, ARRAY<INT>>`.
    public static func parseType(_ sql: String) throws(SyntaxError) -> TypeName {
        try parsing(sql) { (parser) throws(SyntaxError) in
            let type = try parser.parseType()
            try parser.expectEnd()
            return type
        }
    }

    mutating func parseScript() throws(SyntaxError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while accept(.semicolon) {}
            if current.kind == .endOfInput { return statements }
            statements.append(try parseStatement())
            if current.kind != .endOfInput { try expect(.semicolon) }
        }
    }

    mutating func expectEnd() throws(SyntaxError) {
        guard current.kind == .endOfInput else {
            note(.token(.endOfInput))
            throw unexpected()
        }
    }

    // MARK: - Token navigation

    var current: Token { tokens[index] }

    func peek(_ ahead: Int) -> TokenKind {
        let target = index + ahead
        return target < tokens.count ? tokens[target].kind : .endOfInput
    }

    /// The end of the last consumed token, for node spans.
    var previousEnd: SourceLocation { index > 0 ? tokens[index - 1].span.end : current.span.start }

    func span(from start: SourceLocation) -> SourceSpan { SourceSpan(start: start, end: previousEnd) }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Whether the current token is `keyword` (a direct payload comparison: this runs for every keyword the parser
    /// tries at every position).
    @inline(__always)
    func isAt(_ keyword: Keyword) -> Bool {
        if case .keyword(let k) = tokens[index].kind { return k == keyword }
        return false
    }

    mutating func accept(_ keyword: Keyword) -> Bool {
        if isAt(keyword) {
            advance()
            return true
        }
        note(.keyword(keyword))
        return false
    }

    mutating func accept(_ kind: TokenKind) -> Bool {
        if current.kind == kind {
            advance()
            return true
        }
        note(.token(kind))
        return false
    }

    /// Like `accept`, but a miss is only offered to hints, not listed as expected (the caller lists a summary
    /// such as "operator" instead).
    mutating func acceptQuietly(_ keyword: Keyword) -> Bool {
        if isAt(keyword) {
            advance()
            return true
        }
        note(.hidden(keyword))
        return false
    }

    mutating func acceptQuietly(_ kind: TokenKind) -> Bool {
        if current.kind == kind {
            advance()
            return true
        }
        return false
    }

    @discardableResult
    mutating func expect(_ keyword: Keyword) throws(SyntaxError) -> Token {
        let token = current
        guard accept(keyword) else { throw unexpected() }
        return token
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind) throws(SyntaxError) -> Token {
        let token = current
        guard accept(kind) else { throw unexpected() }
        return token
    }

    // MARK: - Nesting

    /// Counts one level of nesting; call `leave()` when the nested construct is done.
    mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw error(
                .nestingTooDeep, "statement nests more than \(Parser.maximumDepth) levels deep",
                hint: "split the expression or query into smaller parts")
        }
    }

    mutating func leave(_ levels: Int = 1) { depth -= levels }
}
