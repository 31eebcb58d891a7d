extension Parser {
    /// `[WITH cte, …] body [ORDER BY …] [EMIT CHANGES|FINAL] [LIMIT n] [OFFSET n]`
    mutating func parseQuery() throws(SyntaxError) -> Query {
        let start = current.span.start
        try enter()
        defer { leave() }
        var query = Query(body: .select(Select(items: [])))
        if accept(.WITH) {
            repeat { query.with.append(try parseCommonTableExpression()) } while accept(.comma)
        }
        query.body = try parseQueryBody()
        if accept(.ORDER) {
            try expect(.BY)
            query.orderBy = try parseSortItems()
        }
        let emitStart = current.span.start
        if accept(.EMIT) {
            if accept(.CHANGES) {
                query.emit = .changes
            } else {
                try expect(.FINAL)
                query.emit = .final
            }
            query.emitSpan = span(from: emitStart)
        }
        if accept(.LIMIT) { query.limit = try parseInt64() }
        if accept(.OFFSET) { query.offset = try parseInt64() }
        query.span = span(from: start)
        return query
    }

    private mutating func parseCommonTableExpression() throws(SyntaxError) -> Query.CommonTableExpression {
        let name = try parseIdentifier()
        try expect(.AS)
        try expect(.leftParen)
        let query = try parseQuery()
        try expect(.rightParen)
        return Query.CommonTableExpression(name: name, query: query)
    }

    private mutating func parseQueryBody() throws(SyntaxError) -> QueryBody {
        var body = try parseQueryTerm()
        var chain = 0
        defer { leave(chain) }
        while accept(.UNION) {
            try expect(.ALL)
            try enter()
            chain += 1
            body = .unionAll(body, try parseQueryTerm())
        }
        return body
    }

    private mutating func parseQueryTerm() throws(SyntaxError) -> QueryBody {
        if accept(.leftParen) {
            let nested = try parseQuery()
            try expect(.rightParen)
            return .nested(nested)
        }
        return .select(try parseSelect())
    }

    // MARK: - SELECT

    mutating func parseSelect() throws(SyntaxError) -> Select {
        let start = current.span.start
        try expect(.SELECT)
        var select = Select(items: [])
        if accept(.DISTINCT) { select.distinct = true } else { _ = accept(.ALL) }
        select.items.reserveCapacity(16)
        repeat {
            // PostgreSQL's limit on a target list; the wire counts columns in 16 bits, so there must be one.
            guard select.items.count < Parser.maximumSelectItems else {
                throw error(.numberOutOfRange, "a SELECT list can have at most \(Parser.maximumSelectItems) items")
            }
            select.items.append(try parseSelectItem())
        } while accept(.comma)
        if accept(.FROM) { select.from = try parseRelation() }
        if accept(.WINDOW) { select.window = try parseWindow() }
        if accept(.WHERE) { select.whereClause = try parseExpression() }
        if accept(.GROUP) {
            try expect(.BY)
            select.groupBy = try parseExpressionList()
        }
        if accept(.PARTITION) {
            try expect(.BY)
            select.partitionBy = try parseExpressionList()
        }
        if accept(.HAVING) { select.having = try parseExpression() }
        select.span = span(from: start)
        return select
    }

    private mutating func parseSelectItem() throws(SyntaxError) -> SelectItem {
        let start = current.span.start
        if accept(.star) { return .wildcard(span(from: start)) }
        if atIdentifier && peek(1) == .period && peek(2) == .star {
            let qualifier = try parseIdentifier()
            advance()
            advance()
            return .qualifiedWildcard(qualifier)
        }
        let expression = try parseExpression()
        if current.kind == .arrow && peek(1) == .star {
            advance()
            advance()
            return .structWildcard(expression)
        }
        return .expression(expression, alias: try parseAlias())
    }

    /// `[AS] alias`, or nil.
    mutating func parseAlias() throws(SyntaxError) -> Identifier? {
        if accept(.AS) { return try parseIdentifier() }
        note(.what("alias"))
        return atIdentifier ? try parseIdentifier() : nil
    }

    // MARK: - FROM

    mutating func parseRelation() throws(SyntaxError) -> Relation {
        let start = current.span.start
        var relation = try parseRelationPrimary()
        var chain = 0
        defer { leave(chain) }
        while let kind = try parseJoinKind() {
            try enter()
            chain += 1
            let right = try parseRelationPrimary()
            let within = accept(.WITHIN) ? try parseWithin() : nil
            try expect(.ON)
            let condition = try parseExpression()
            let join = Join(kind: kind, left: relation, right: right, within: within, condition: condition)
            relation = Relation(.join(join), span: span(from: start))
        }
        return relation
    }

    private mutating func parseRelationPrimary() throws(SyntaxError) -> Relation {
        let start = current.span.start
        if accept(.leftParen) {
            let query = try parseQuery()
            try expect(.rightParen)
            let alias = try parseAlias()
            return Relation(.subquery(query, alias: alias), span: span(from: start))
        }
        let name = try parseIdentifier()
        let alias = try parseAlias()
        return Relation(.source(name: name, alias: alias), span: span(from: start))
    }

    /// The join keywords up to and including JOIN, or nil when no join follows.
    private mutating func parseJoinKind() throws(SyntaxError) -> Join.Kind? {
        let kind: Join.Kind
        if accept(.JOIN) { return .inner }
        if accept(.INNER) {
            kind = .inner
        } else if accept(.LEFT) {
            kind = .left
        } else if accept(.RIGHT) {
            kind = .right
        } else if accept(.FULL) {
            kind = .full
        } else {
            return nil
        }
        if kind != .inner { _ = accept(.OUTER) }
        try expect(.JOIN)
        return kind
    }

    /// After WITHIN: `n unit` or `(n unit, n unit)`, then an optional `GRACE PERIOD n unit`.
    private mutating func parseWithin() throws(SyntaxError) -> WithinClause {
        var within: WithinClause
        if accept(.leftParen) {
            let before = try parseDuration()
            try expect(.comma)
            within = WithinClause(before: before, after: try parseDuration())
            try expect(.rightParen)
        } else {
            within = WithinClause(before: try parseDuration())
        }
        if accept(.GRACE) {
            try expect(.PERIOD)
            within.grace = try parseDuration()
        }
        return within
    }

    // MARK: - WINDOW

    private mutating func parseWindow() throws(SyntaxError) -> WindowClause {
        let start = current.span.start
        let kind: WindowClause.Kind
        if accept(.TUMBLING) {
            try expect(.leftParen)
            try expect(.SIZE)
            kind = .tumbling(size: try parseDuration())
        } else if accept(.HOPPING) {
            try expect(.leftParen)
            try expect(.SIZE)
            let size = try parseDuration()
            try expect(.comma)
            try expect(.ADVANCE)
            try expect(.BY)
            kind = .hopping(size: size, advance: try parseDuration())
        } else {
            try expect(.SESSION)
            try expect(.leftParen)
            kind = .session(gap: try parseDuration())
        }
        var window = WindowClause(kind)
        try parseWindowOptions(&window)
        try expect(.rightParen)
        window.span = span(from: start)
        return window
    }

    /// `, RETENTION n unit` and `, GRACE PERIOD n unit`, each at most once, in either order.
    private mutating func parseWindowOptions(_ window: inout WindowClause) throws(SyntaxError) {
        while accept(.comma) {
            if window.retention == nil && accept(.RETENTION) {
                window.retention = try parseDuration()
            } else if window.grace == nil && accept(.GRACE) {
                try expect(.PERIOD)
                window.grace = try parseDuration()
            } else {
                throw unexpected()
            }
        }
    }
}
