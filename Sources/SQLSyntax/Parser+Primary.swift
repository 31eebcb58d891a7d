extension Parser {
    /// Literals, parameters, parenthesized expressions, CASE, CAST, constructors, function calls and columns.
    mutating func parsePrimary() throws(SyntaxError) -> Expr {
        let start = current.span.start
        if let literal = try parseLiteral() { return Expr(.literal(literal), span: span(from: start)) }
        switch current.kind {
        case .parameter:
            return Expr(.parameter(try parseParameter()), span: span(from: start))
        case .leftParen:
            advance()
            let inner = try parseExpression()
            try expect(.rightParen)
            return inner
        case .keyword(.CASE):
            return Expr(try parseCase(), span: span(from: start))
        case .keyword(.CAST):
            return Expr(try parseCast(), span: span(from: start))
        case .keyword(.ARRAY) where peek(1) == .leftBracket:
            return Expr(try parseArrayConstructor(), span: span(from: start))
        case .keyword(.MAP) where peek(1) == .leftParen:
            return Expr(try parseMapConstructor(), span: span(from: start))
        case .keyword(.STRUCT) where peek(1) == .leftParen:
            return Expr(try parseStructConstructor(), span: span(from: start))
        default:
            guard atIdentifier else {
                note(.what("expression"))
                throw unexpected()
            }
            return try parseNameExpression(start: start)
        }
    }

    /// A literal at the current token, or nil (without consuming anything) if there is none.
    mutating func parseLiteral() throws(SyntaxError) -> Literal? {
        let token = current
        let literal: Literal
        switch token.kind {
        case .string: literal = .string(unquote(token))
        case .integer: literal = .integer(text(of: token))
        case .decimal: literal = .decimal(text(of: token))
        case .double: literal = .double(text(of: token))
        case .keyword(.TRUE): literal = .boolean(true)
        case .keyword(.FALSE): literal = .boolean(false)
        case .keyword(.NULL): literal = .null
        default: return nil
        }
        advance()
        return literal
    }

    private mutating func parseParameter() throws(SyntaxError) -> Int {
        let token = current
        var value = 0
        for byte in source[token.range].dropFirst() {
            value = value * 10 + Int(byte - 0x30)
            if value > 65_535 {
                throw error(.numberOutOfRange, "parameter \(text(of: token)) is out of range", hint: "$1 to $65535")
            }
        }
        guard value >= 1 else { throw error(.numberOutOfRange, "parameters are numbered from $1") }
        advance()
        return value
    }

    // MARK: - CASE and CAST

    private mutating func parseCase() throws(SyntaxError) -> Expr.Kind {
        try expect(.CASE)
        let operand = isAt(.WHEN) ? nil : try parseExpression()
        var whens: [Expr.WhenClause] = []
        repeat {
            try expect(.WHEN)
            let condition = try parseExpression()
            try expect(.THEN)
            whens.append(Expr.WhenClause(condition: condition, result: try parseExpression()))
        } while isAt(.WHEN)
        let elseResult = accept(.ELSE) ? try parseExpression() : nil
        try expect(.END)
        return .caseWhen(operand: operand, whens: whens, elseResult: elseResult)
    }

    private mutating func parseCast() throws(SyntaxError) -> Expr.Kind {
        try expect(.CAST)
        try expect(.leftParen)
        let value = try parseExpression()
        try expect(.AS)
        let type = try parseType()
        try expect(.rightParen)
        return .cast(value, type)
    }

    // MARK: - Constructors

    private mutating func parseArrayConstructor() throws(SyntaxError) -> Expr.Kind {
        try expect(.ARRAY)
        try expect(.leftBracket)
        if accept(.rightBracket) { return .array([]) }
        let elements = try parseExpressionList()
        try expect(.rightBracket)
        return .array(elements)
    }

    private mutating func parseMapConstructor() throws(SyntaxError) -> Expr.Kind {
        try expect(.MAP)
        try expect(.leftParen)
        var entries: [Expr.MapEntry] = []
        if !accept(.rightParen) {
            repeat {
                let key = try parseExpression()
                try expect(.colonEqual)
                entries.append(Expr.MapEntry(key: key, value: try parseExpression()))
            } while accept(.comma)
            try expect(.rightParen)
        }
        return .map(entries)
    }

    private mutating func parseStructConstructor() throws(SyntaxError) -> Expr.Kind {
        try expect(.STRUCT)
        try expect(.leftParen)
        var fields: [Expr.StructField] = []
        if !accept(.rightParen) {
            repeat {
                let name = try parseIdentifier()
                try expect(.colonEqual)
                fields.append(Expr.StructField(name: name, value: try parseExpression()))
            } while accept(.comma)
            try expect(.rightParen)
        }
        return .structure(fields)
    }

    // MARK: - Names and calls

    /// `name`, `qualifier.name` or `name(arguments) [OVER (…)]`.
    private mutating func parseNameExpression(start: SourceLocation) throws(SyntaxError) -> Expr {
        let name = try parseIdentifier()
        if current.kind == .leftParen {
            return Expr(.function(try parseCall(name)), span: span(from: start))
        }
        if current.kind == .period && Parser.isIdentifier(peek(1)) {
            advance()
            let column = try parseIdentifier()
            return Expr(.column(qualifier: name, name: column), span: span(from: start))
        }
        return Expr(.column(qualifier: nil, name: name), span: span(from: start))
    }

    private mutating func parseCall(_ name: Identifier) throws(SyntaxError) -> FunctionCall {
        try expect(.leftParen)
        var call = FunctionCall(name: name)
        if accept(.star) {
            call.star = true
        } else if current.kind != .rightParen {
            call.distinct = accept(.DISTINCT)
            call.arguments.reserveCapacity(4)
            repeat { call.arguments.append(try parseArgument()) } while accept(.comma)
        }
        try expect(.rightParen)
        if accept(.OVER) { call.over = try parseWindowSpecification() }
        return call
    }

    /// A function argument: an expression or a lambda (`x => …`, `(x, y) => …`).
    private mutating func parseArgument() throws(SyntaxError) -> Expr {
        let start = current.span.start
        guard let count = lambdaParameterCount() else { return try parseExpression() }
        var parameters: [Identifier] = []
        if count == 0 {
            parameters.append(try parseIdentifier())
        } else {
            parameters = try parseIdentifierList()
        }
        try expect(.fatArrow)
        try enter()
        defer { leave() }
        let body = try parseExpression()
        return Expr(.lambda(parameters: parameters, body: body), span: span(from: start))
    }

    /// 0 for `x =>`, n for `(x1, …, xn) =>`, nil when no lambda starts here.
    private func lambdaParameterCount() -> Int? {
        if Parser.isIdentifier(current.kind) { return peek(1) == .fatArrow ? 0 : nil }
        guard current.kind == .leftParen else { return nil }
        var ahead = 1
        var count = 0
        while Parser.isIdentifier(peek(ahead)) {
            count += 1
            ahead += 1
            if peek(ahead) == .rightParen { return peek(ahead + 1) == .fatArrow ? count : nil }
            guard peek(ahead) == .comma else { return nil }
            ahead += 1
        }
        return nil
    }

    /// `( [PARTITION BY e, …] [ORDER BY sort, …] )` after OVER.
    private mutating func parseWindowSpecification() throws(SyntaxError) -> WindowSpecification {
        let start = current.span.start
        try expect(.leftParen)
        var specification = WindowSpecification()
        if accept(.PARTITION) {
            try expect(.BY)
            specification.partitionBy = try parseExpressionList()
        }
        if accept(.ORDER) {
            try expect(.BY)
            specification.orderBy = try parseSortItems()
        }
        try expect(.rightParen)
        specification.span = span(from: start)
        return specification
    }

    mutating func parseSortItems() throws(SyntaxError) -> [SortItem] {
        var items: [SortItem] = []
        repeat {
            var item = SortItem(try parseExpression())
            if accept(.ASC) {
                item.direction = .ascending
            } else if accept(.DESC) {
                item.direction = .descending
            }
            if accept(.NULLS) {
                if accept(.FIRST) {
                    item.nulls = .first
                } else {
                    try expect(.LAST)
                    item.nulls = .last
                }
            }
            items.append(item)
        } while accept(.comma)
        return items
    }
}
