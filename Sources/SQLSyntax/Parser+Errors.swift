extension Parser {
    /// Something the parser tried at a position, named in "expected …" messages.
    enum Expectation {
        case keyword(Keyword)
        case token(TokenKind)
        case what(StaticString)
        /// A keyword offered for "did you mean" hints but not listed (it is covered by a `.what`).
        case hidden(Keyword)

        var displayName: String? {
            switch self {
            case .keyword(let keyword): keyword.rawValue
            case .token(let kind): kind == .endOfInput ? "end of statement" : kind.displayName
            case .what(let text): text.description
            case .hidden: nil
            }
        }
    }

    @inline(__always)
    mutating func note(_ expectation: Expectation) {
        guard tracksExpectations else { return }
        if expectedIndex != index {
            expected.removeAll(keepingCapacity: true)
            expectedIndex = index
        }
        expected.append(expectation)
    }

    /// The text of a token as written.
    func text(of token: Token) -> String {
        String(decoding: source[token.range], as: UTF8.self)
    }

    /// An error at the current token listing what was expected there.
    mutating func unexpected(_ what: StaticString? = nil) -> SyntaxError {
        if let what { note(.what(what)) }
        let token = current
        if let problem = problemError(token) { return problem }
        var names: [String] = []
        if expectedIndex == index {
            for expectation in expected {
                if let name = expectation.displayName, !names.contains(name) { names.append(name) }
            }
        }
        let found = token.kind == .endOfInput ? "end of input" : "'\(text(of: token))'"
        var message = "unexpected \(found)"
        if !names.isEmpty { message += ", expected \(Parser.list(names))" }
        return SyntaxError(
            code: .unexpectedToken, message: message, span: token.span,
            token: token.kind == .endOfInput ? "end of input" : text(of: token), expected: names,
            hint: hint(for: token))
    }

    /// An error at the current token with a given code and message.
    func error(
        _ code: SyntaxError.Code, _ message: String, expected: [String] = [], hint: String? = nil
    ) -> SyntaxError {
        let token = current
        return SyntaxError(
            code: code, message: message, span: token.span,
            token: token.kind == .endOfInput ? "end of input" : text(of: token), expected: expected, hint: hint)
    }

    static func list(_ names: [String]) -> String {
        let shown = names.count > 12 ? Array(names.prefix(12)) + ["…"] : names
        if shown.count == 1 { return shown[0] }
        return shown.dropLast().joined(separator: ", ") + " or " + (shown.last ?? "")
    }

    // MARK: - Problem tokens

    private func problemError(_ token: Token) -> SyntaxError? {
        let text = text(of: token)
        func make(_ code: SyntaxError.Code, _ message: String, _ hint: String?) -> SyntaxError {
            SyntaxError(code: code, message: message, span: token.span, token: text, hint: hint)
        }
        switch token.kind {
        case .unterminatedString:
            return make(.unterminatedString, "unterminated string literal", "close the string with '")
        case .unterminatedQuotedIdentifier:
            let quote = text.first.map(String.init) ?? "\""
            return make(.unterminatedQuotedIdentifier, "unterminated quoted identifier", "close it with \(quote)")
        case .unterminatedComment:
            return make(.unterminatedComment, "unterminated comment", "close the comment with */")
        case .invalid:
            return make(.invalidCharacter, "unexpected character '\(text)'", nil)
        case .variable:
            return make(
                .undefinedVariable, "variable \(text) is not defined",
                "DEFINE it first, or substitute variables before parsing")
        default:
            return nil
        }
    }

    // MARK: - Hints

    private func hint(for token: Token) -> String? {
        guard expectedIndex == index else { return nil }
        if let alias = misspeltAlias() { return alias }
        if let keyword = misspeltKeyword(token) { return "did you mean \(keyword)?" }
        if token.kind == .string, index > 0, tokens[index - 1].kind == .identifier,
            tokens[index - 1].range.upperBound == token.range.lowerBound, text(of: tokens[index - 1]).uppercased() == "E"
        {
            return "PostgreSQL's E'…' strings are not supported: write a plain '…' string (a quote is written '')"
        }
        let expectsComma = expected.contains { if case .token(.comma) = $0 { true } else { false } }
        if expectsComma && canStartItem(token.kind) {
            return "missing comma before '\(text(of: token))'?"
        }
        if case .keyword(let keyword) = token.kind, keyword.isReserved, expectsName {
            return "\(keyword.rawValue) is a reserved word: quote it (`\(keyword.rawValue)`) to use it as a name"
        }
        return nil
    }

    /// Whether an identifier or an expression (which may be a column name) would have been accepted here.
    private var expectsName: Bool {
        expected.contains { expectation in
            guard case .what(let what) = expectation else { return false }
            let text = what.description
            return text.contains("identifier") || text.contains("expression") || text.contains("name")
        }
    }

    /// `SELECT x FORM t`, `FROM t WHRE …`: a misspelt keyword after an expression or a source is read as its
    /// alias, and the parser stops at the word after it. The hint names the keyword the alias is close to.
    private func misspeltAlias() -> String? {
        guard index >= 1, tokens[index - 1].kind == .identifier else { return nil }
        if index >= 2 {
            switch tokens[index - 2].kind {
            case .keyword(.AS), .period, .comma, .leftParen: return nil  // an alias written as such, or a name
            default: break
            }
        }
        let word = upperCasedText(tokens[index - 1].range)
        let candidates = expected.compactMap { expectation -> String? in
            switch expectation {
            case .keyword(let keyword), .hidden(let keyword): keyword.rawValue
            default: nil
            }
        }
        guard let keyword = EditDistance.closest(to: word, among: candidates) else { return nil }
        return "did you mean \(keyword)? \(text(of: tokens[index - 1])) was read as an alias"
    }

    private func misspeltKeyword(_ token: Token) -> String? {
        switch token.kind {
        case .identifier, .keyword: break
        default: return nil
        }
        let word = upperCasedText(token.range)
        var candidates: [String] = []
        for expectation in expected {
            switch expectation {
            case .keyword(let keyword), .hidden(let keyword): candidates.append(keyword.rawValue)
            default: break
            }
        }
        return EditDistance.closest(to: word, among: candidates)
    }

    private func canStartItem(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .backquotedIdentifier, .doubleQuotedIdentifier, .string, .integer, .decimal, .double:
            true
        case .keyword(let keyword): !keyword.isReserved
        default: false
        }
    }
}
