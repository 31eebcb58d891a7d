extension Parser {
    /// The keywords a statement can start with, for "expected …" messages and misspelling hints.
    static let statementKeywords: [Keyword] = [
        .SELECT, .CREATE, .INSERT, .DELETE, .SHOW, .LIST, .DESCRIBE, .PRINT, .TERMINATE, .PAUSE, .RESUME, .SET,
        .UNSET, .DEFINE, .UNDEFINE, .DROP, .EXPLAIN, .ALTER, .ASSERT, .RUN, .WITH,
    ]

    mutating func parseStatement() throws(SyntaxError) -> Statement {
        let start = current.span.start
        let kind = try parseStatementKind()
        return Statement(kind, span: span(from: start))
    }

    private mutating func parseStatementKind() throws(SyntaxError) -> Statement.Kind {
        switch current.kind {
        case .keyword(.SELECT), .keyword(.WITH), .leftParen: return .query(try parseQuery())
        case .keyword(.CREATE): return try parseCreate()
        case .keyword(.INSERT): return try parseInsert()
        case .keyword(.DELETE): return try parseDelete()
        case .keyword(.SHOW), .keyword(.LIST): return try parseShow()
        case .keyword(.DESCRIBE): return try parseDescribe()
        case .keyword(.PRINT): return try parsePrint()
        case .keyword(.TERMINATE), .keyword(.PAUSE), .keyword(.RESUME): return try parseQueryControl()
        case .keyword(.SET), .keyword(.UNSET): return try parseSetOrUnset()
        case .keyword(.DEFINE), .keyword(.UNDEFINE): return try parseDefineOrUndefine()
        case .keyword(.DROP): return try parseDrop()
        case .keyword(.EXPLAIN): return try parseExplain()
        case .keyword(.ALTER): return try parseAlter()
        case .keyword(.ASSERT): return try parseAssert()
        case .keyword(.RUN): return try parseRunScript()
        default:
            for keyword in Parser.statementKeywords { note(.keyword(keyword)) }
            if current.kind == .identifier, let hint = Parser.unsupportedStatementHint(upperCasedText(current.range)) {
                throw error(.unexpectedToken, "\(upperCasedText(current.range)) is not a Sluice statement", hint: hint)
            }
            throw unexpected()
        }
    }

    /// What to do instead of a PostgreSQL statement Sluice does not have, for its syntax error.
    static func unsupportedStatementHint(_ word: String) -> String? {
        switch word {
        case "UPDATE", "UPSERT", "MERGE":
            "a table keeps the latest row per PRIMARY KEY: INSERT INTO table (...) VALUES (...) with the same key replaces the row"
        case "TRUNCATE":
            "there is no full-table delete: DELETE FROM table WHERE key IN (...) removes rows by key, and DROP TABLE name DELETE TOPIC drops the table with its topic"
        default: nil
        }
    }

    // MARK: - Listings

    private mutating func parseShow() throws(SyntaxError) -> Statement.Kind {
        advance()
        let all = accept(.ALL)
        if all {
            try expect(.TOPICS)
            return .show(Statement.Show(.topics, all: true, extended: accept(.EXTENDED)))
        }
        if accept(.CONSUMER) {
            try expect(.GROUPS)
            return .show(Statement.Show(.consumerGroups))
        }
        for subject in Statement.Show.Subject.allCases {
            guard let keyword = Keyword(rawValue: subject.rawValue) else { continue }
            if accept(keyword) {
                let extended = subject.allowsExtended && accept(.EXTENDED)
                return .show(Statement.Show(subject, extended: extended))
            }
        }
        note(.keyword(.ALL))
        throw unexpected()
    }

    private mutating func parseDescribe() throws(SyntaxError) -> Statement.Kind {
        try expect(.DESCRIBE)
        if isAt(.FUNCTION) && Parser.isIdentifier(peek(1)) {
            advance()
            return .describe(.function(try parseIdentifier()))
        }
        if accept(.STREAMS) {
            return .describe(.streams(extended: accept(.EXTENDED)))
        }
        if accept(.TABLES) {
            return .describe(.tables(extended: accept(.EXTENDED)))
        }
        note(.keyword(.FUNCTION))
        if isAt(.EXTENDED) && Parser.isIdentifier(peek(1)) {
            // `DESCRIBE EXTENDED name`, the order in ksqlDB's docs synopsis.
            advance()
            return .describe(.source(try parseIdentifier(), extended: true))
        }
        let name = try parseIdentifier()
        return .describe(.source(name, extended: accept(.EXTENDED)))
    }

    private mutating func parsePrint() throws(SyntaxError) -> Statement.Kind {
        try expect(.PRINT)
        var print = Statement.PrintTopic(topic: try parseTopicName())
        if accept(.FROM) {
            try expect(.BEGINNING)
            print.fromBeginning = true
        }
        if accept(.INTERVAL) || accept(.SAMPLE) { print.interval = try parseInt64() }
        if accept(.LIMIT) { print.limit = try parseInt64() }
        return .printTopic(print)
    }

    /// A topic name: a string literal, a quoted identifier, or a word kept exactly as written.
    mutating func parseTopicName() throws(SyntaxError) -> String {
        let token = current
        switch token.kind {
        case .string: return try parseString()
        case .backquotedIdentifier, .doubleQuotedIdentifier: return try parseIdentifier().value
        default:
            guard atIdentifier else {
                note(.what("topic name"))
                throw unexpected()
            }
            advance()
            return text(of: token)
        }
    }

    // MARK: - Queries, properties, variables

    private mutating func parseQueryControl() throws(SyntaxError) -> Statement.Kind {
        let keyword = advance().keyword
        let target: Statement.QueryTarget = accept(.ALL) ? .all : .query(try parseIdentifier())
        switch keyword {
        case .TERMINATE: return .terminate(target)
        case .PAUSE: return .pause(target)
        default: return .resume(target)
        }
    }

    private mutating func parseSetOrUnset() throws(SyntaxError) -> Statement.Kind {
        if accept(.UNSET) { return .unsetProperty(name: try parseString()) }
        try expect(.SET)
        let name = try parseString()
        try expect(.equal)
        return .setProperty(name: name, value: try parseString())
    }

    private mutating func parseDefineOrUndefine() throws(SyntaxError) -> Statement.Kind {
        if accept(.UNDEFINE) { return .undefine(try parseIdentifier()) }
        try expect(.DEFINE)
        let name = try parseIdentifier()
        try expect(.equal)
        return .define(name: name, value: try parseString())
    }

    private mutating func parseExplain() throws(SyntaxError) -> Statement.Kind {
        try expect(.EXPLAIN)
        if atIdentifier && (peek(1) == .semicolon || peek(1) == .endOfInput) {
            return .explain(.queryID(try parseIdentifier()))
        }
        if isAt(.EXPLAIN) {
            note(.what("statement"))
            throw unexpected()
        }
        try enter()
        defer { leave() }
        return .explain(.statement(try parseStatement()))
    }

    private mutating func parseRunScript() throws(SyntaxError) -> Statement.Kind {
        try expect(.RUN)
        try expect(.SCRIPT)
        return .runScript(path: try parseString())
    }

    // MARK: - DML

    private mutating func parseInsert() throws(SyntaxError) -> Statement.Kind {
        try expect(.INSERT)
        try expect(.INTO)
        let target = try parseIdentifier()
        if isAt(.WITH) && peek(1) == .leftParen {
            advance()
            let properties = try parseProperties()
            return .insertSelect(
                Statement.InsertSelect(target: target, properties: properties, query: try parseQuery()))
        }
        var columns: [Identifier] = []
        if current.kind == .leftParen && Parser.isIdentifier(peek(1)) { columns = try parseIdentifierList() }
        guard accept(.VALUES) else {
            if !columns.isEmpty { throw unexpected() }
            note(.keyword(.SELECT))
            guard isAt(.SELECT) || isAt(.WITH) || current.kind == .leftParen else { throw unexpected() }
            return .insertSelect(Statement.InsertSelect(target: target, query: try parseQuery()))
        }
        var rows = [try parseParenthesizedExpressions()]
        while accept(.comma) { rows.append(try parseParenthesizedExpressions()) }
        return .insertValues(Statement.InsertValues(target: target, columns: columns, rows: rows))
    }

    private mutating func parseDelete() throws(SyntaxError) -> Statement.Kind {
        try expect(.DELETE)
        try expect(.FROM)
        let target = try parseIdentifier()
        let condition = accept(.WHERE) ? try parseExpression() : nil
        return .delete(Statement.Delete(target: target, whereClause: condition))
    }
}
