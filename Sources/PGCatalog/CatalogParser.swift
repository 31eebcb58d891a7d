/// Recursive-descent parser for the PostgreSQL subset catalog queries use (SELECT with joins, subqueries,
/// WITH [RECURSIVE], set operations, and PostgreSQL's operator precedence, docs "4.1.6 Operator Precedence").
/// Every failure is a `PGCatalogError` (42601 with the position); nesting deeper than `maxDepth` is 54001.
struct CatalogParser {
    private var tokens: [CatalogToken]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 100

    init(tokens: [CatalogToken]) {
        self.tokens = tokens
    }

    /// Parses one statement (an optional trailing `;` allowed).
    static func parse(_ sql: String) throws(PGCatalogError) -> CatalogQuery {
        var parser = CatalogParser(tokens: try CatalogLexer.tokenize(sql))
        let query = try parser.parseQuery()
        while parser.acceptSymbol(";") {}
        guard parser.current.kind == .end else { throw parser.syntaxError() }
        return query
    }

    // MARK: - Token helpers

    var current: CatalogToken { tokens[index] }

    func peekToken(_ offset: Int) -> CatalogToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func syntaxError() -> PGCatalogError {
        let token = current
        switch token.kind {
        case .end: return .syntax("syntax error at end of input", at: token.position)
        case .identifier(let s, _), .number(let s), .symbol(let s), .string(let s):
            return .syntax("syntax error at or near \"\(s)\"", at: token.position)
        case .parameter(let n): return .syntax("syntax error at or near \"$\(n)\"", at: token.position)
        }
    }

    func isKeyword(_ word: String) -> Bool { current.keyword == word }

    mutating func acceptKeyword(_ word: String) -> Bool {
        guard isKeyword(word) else { return false }
        advance()
        return true
    }

    mutating func expectKeyword(_ word: String) throws(PGCatalogError) {
        guard acceptKeyword(word) else { throw syntaxError() }
    }

    mutating func acceptSymbol(_ s: String) -> Bool {
        guard current.symbol == s else { return false }
        advance()
        return true
    }

    mutating func expectSymbol(_ s: String) throws(PGCatalogError) {
        guard acceptSymbol(s) else { throw syntaxError() }
    }

    /// Any identifier (quoted or not); keywords are allowed where PostgreSQL allows them as names.
    mutating func identifier() throws(PGCatalogError) -> String {
        guard case .identifier(let s, _) = current.kind else { throw syntaxError() }
        advance()
        return s
    }

    private mutating func enter() throws(PGCatalogError) {
        depth += 1
        if depth > Self.maxDepth {
            throw PGCatalogError(
                sqlState: "54001", message: "statement is nested too deeply", position: current.position)
        }
    }

    private mutating func leave() { depth -= 1 }

    /// Words that end an expression or cannot be an implicit alias.
    static let reserved: Set<String> = [
        "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except", "on", "using",
        "join", "inner", "left", "right", "full", "cross", "natural", "as", "and", "or", "not", "then", "when", "else",
        "end", "is", "in", "like", "ilike", "similar", "between", "asc", "desc", "nulls", "window", "fetch", "for",
        "into", "returning", "with", "select", "isnull", "notnull", "collate", "escape", "over", "case", "all", "any",
        "some", "distinct", "by", "values", "lateral", "array",
    ]

    // MARK: - Queries

    mutating func parseQuery() throws(PGCatalogError) -> CatalogQuery {
        try enter()
        defer { leave() }
        var query = CatalogQuery(body: .values([]))
        if acceptKeyword("with") {
            query.recursive = acceptKeyword("recursive")
            repeat {
                query.ctes.append(try parseCTE())
            } while acceptSymbol(",")
        }
        query.body = try parseSetOperations()
        if acceptKeyword("order") {
            try expectKeyword("by")
            query.orderBy = try parseOrderList()
        }
        try parseLimitOffset(into: &query)
        return query
    }

    private mutating func parseCTE() throws(PGCatalogError) -> CatalogCTE {
        let name = try identifier()
        var columns: [String] = []
        if acceptSymbol("(") {
            columns = try parseNameList()
            try expectSymbol(")")
        }
        try expectKeyword("as")
        _ = acceptKeyword("materialized")
        try expectSymbol("(")
        let query = try parseQuery()
        try expectSymbol(")")
        return CatalogCTE(name: name, columns: columns, query: query)
    }

    private mutating func parseNameList() throws(PGCatalogError) -> [String] {
        var names = [try identifier()]
        while acceptSymbol(",") { names.append(try identifier()) }
        return names
    }

    private mutating func parseLimitOffset(into query: inout CatalogQuery) throws(PGCatalogError) {
        while true {
            if acceptKeyword("limit") {
                query.limit = acceptKeyword("all") ? nil : try parseExpr()
            } else if acceptKeyword("offset") {
                query.offset = try parseExpr()
                _ = acceptKeyword("rows") || acceptKeyword("row")
            } else if acceptKeyword("fetch") {
                guard acceptKeyword("first") || acceptKeyword("next") else { throw syntaxError() }
                query.limit = isKeyword("rows") || isKeyword("row") ? .literal(.int8(1)) : try parseExpr()
                guard acceptKeyword("rows") || acceptKeyword("row") else { throw syntaxError() }
                try expectKeyword("only")
            } else {
                return
            }
        }
    }

    private mutating func parseSetOperations() throws(PGCatalogError) -> CatalogQueryBody {
        var left = try parseQueryTerm()
        while true {
            let op: CatalogSetOperator
            if acceptKeyword("union") {
                op = .union
            } else if acceptKeyword("intersect") {
                op = .intersect
            } else if acceptKeyword("except") {
                op = .except
            } else {
                return left
            }
            let all = acceptKeyword("all")
            if !all { _ = acceptKeyword("distinct") }
            let right = try parseQueryTerm()
            left = .setOperation(left, op, all: all, right)
        }
    }

    private mutating func parseQueryTerm() throws(PGCatalogError) -> CatalogQueryBody {
        if acceptSymbol("(") {
            let inner = try parseQuery()
            try expectSymbol(")")
            return .nested(inner)
        }
        if acceptKeyword("values") { return .values(try parseValuesRows()) }
        try expectKeyword("select")
        return .select(try parseSelectBody())
    }

    private mutating func parseValuesRows() throws(PGCatalogError) -> [[CatalogExpr]] {
        var rows: [[CatalogExpr]] = []
        repeat {
            try expectSymbol("(")
            rows.append(try parseExprList())
            try expectSymbol(")")
        } while acceptSymbol(",")
        return rows
    }

    private mutating func parseSelectBody() throws(PGCatalogError) -> CatalogSelect {
        var select = CatalogSelect()
        if acceptKeyword("distinct") {
            select.distinct = true
            if acceptKeyword("on") { throw .unsupported("SELECT DISTINCT ON is not supported", at: current.position) }
        } else {
            _ = acceptKeyword("all")
        }
        if !startsClauseAfterSelectList() {
            repeat { select.items.append(try parseSelectItem()) } while acceptSymbol(",")
        }
        if acceptKeyword("from") {
            repeat { select.from.append(try parseFromItem()) } while acceptSymbol(",")
        }
        if acceptKeyword("where") { select.whereClause = try parseExpr() }
        if acceptKeyword("group") {
            try expectKeyword("by")
            select.groupBy = try parseExprList()
        }
        if acceptKeyword("having") { select.having = try parseExpr() }
        return select
    }

    private func startsClauseAfterSelectList() -> Bool {
        guard let k = current.keyword else {
            return current.kind == .end || current.symbol == ")" || current.symbol == ";"
        }
        return ["from", "where", "group", "union", "order", "limit"].contains(k)
    }

    private mutating func parseSelectItem() throws(PGCatalogError) -> CatalogSelectItem {
        if acceptSymbol("*") { return CatalogSelectItem(expr: .star(qualifier: nil), alias: nil) }
        let expr = try parseExpr()
        if acceptKeyword("as") { return CatalogSelectItem(expr: expr, alias: try identifier()) }
        if case .identifier(let s, let quoted) = current.kind, quoted || !Self.reserved.contains(s) {
            advance()
            return CatalogSelectItem(expr: expr, alias: s)
        }
        return CatalogSelectItem(expr: expr, alias: nil)
    }

    mutating func parseOrderList() throws(PGCatalogError) -> [CatalogOrderItem] {
        var items: [CatalogOrderItem] = []
        repeat {
            let expr = try parseExpr()
            var descending = false
            if acceptKeyword("desc") { descending = true } else { _ = acceptKeyword("asc") }
            var nullsFirst: Bool?
            if acceptKeyword("nulls") {
                if acceptKeyword("first") { nullsFirst = true } else { try expectKeyword("last"); nullsFirst = false }
            }
            items.append(CatalogOrderItem(expr: expr, descending: descending, nullsFirst: nullsFirst))
        } while acceptSymbol(",")
        return items
    }

    // MARK: - FROM

    private mutating func parseFromItem() throws(PGCatalogError) -> CatalogFromItem {
        try enter()
        defer { leave() }
        var left = try parseFromPrimary()
        while true {
            _ = acceptKeyword("natural")
            let kind: CatalogJoinKind
            if acceptKeyword("join") {
                kind = .inner
            } else if acceptKeyword("inner") {
                try expectKeyword("join"); kind = .inner
            } else if acceptKeyword("left") {
                _ = acceptKeyword("outer"); try expectKeyword("join"); kind = .left
            } else if acceptKeyword("right") {
                _ = acceptKeyword("outer"); try expectKeyword("join"); kind = .right
            } else if acceptKeyword("full") {
                _ = acceptKeyword("outer"); try expectKeyword("join"); kind = .full
            } else if acceptKeyword("cross") {
                try expectKeyword("join"); kind = .cross
            } else {
                return left
            }
            let right = try parseFromPrimary()
            var on: CatalogExpr?
            var using: [String] = []
            if kind != .cross {
                if acceptKeyword("on") {
                    on = try parseExpr()
                } else if acceptKeyword("using") {
                    try expectSymbol("(")
                    using = try parseNameList()
                    try expectSymbol(")")
                } else {
                    throw syntaxError()
                }
            }
            left = .join(left, kind, right, on: on, using: using)
        }
    }

    private mutating func parseFromPrimary() throws(PGCatalogError) -> CatalogFromItem {
        _ = acceptKeyword("lateral")
        if acceptSymbol("(") {
            if isKeyword("select") || isKeyword("with") || isKeyword("values")
                || current.symbol == "(" && looksLikeQuery()
            {
                let query = try parseQuery()
                try expectSymbol(")")
                let (alias, columns) = try parseAlias()
                return .subquery(query, alias: alias, columnAliases: columns)
            }
            let inner = try parseFromItem()
            try expectSymbol(")")
            return inner
        }
        let position = current.position
        var names = [try identifier()]
        while acceptSymbol(".") { names.append(try identifier()) }
        if current.symbol == "(" {
            let call = try parseCallArguments(name: names.last ?? "", position: position)
            let (alias, columns) = try parseAlias()
            return .function(call, alias: alias, columnAliases: columns)
        }
        let (alias, columns) = try parseAlias()
        let schema = names.count > 1 ? names[names.count - 2] : nil
        return .relation(
            schema: schema, name: names.last ?? "", alias: alias, columnAliases: columns, position: position)
    }

    /// After `(`: is the parenthesised thing a query (`((SELECT …) UNION …)`) rather than a join?
    private func looksLikeQuery() -> Bool {
        var i = index
        while i < tokens.count, tokens[i].symbol == "(" { i += 1 }
        return i < tokens.count
            && (tokens[i].keyword == "select" || tokens[i].keyword == "with" || tokens[i].keyword == "values")
    }

    private mutating func parseAlias() throws(PGCatalogError) -> (String?, [String]) {
        var alias: String?
        if acceptKeyword("as") {
            alias = try identifier()
        } else if case .identifier(let s, let quoted) = current.kind, quoted || !Self.reserved.contains(s) {
            advance()
            alias = s
        }
        var columns: [String] = []
        if alias != nil, acceptSymbol("(") {
            columns = try parseNameList()
            try expectSymbol(")")
        }
        return (alias, columns)
    }

    // MARK: - Expressions (lowest precedence first)

    mutating func parseExprList() throws(PGCatalogError) -> [CatalogExpr] {
        var list = [try parseExpr()]
        while acceptSymbol(",") { list.append(try parseExpr()) }
        return list
    }

    mutating func parseExpr() throws(PGCatalogError) -> CatalogExpr {
        try enter()
        defer { leave() }
        return try parseOr()
    }

    private mutating func parseOr() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseAnd()
        while acceptKeyword("or") { left = .binary("or", left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseNot()
        while acceptKeyword("and") { left = .binary("and", left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(PGCatalogError) -> CatalogExpr {
        if acceptKeyword("not") {
            try enter()
            defer { leave() }
            return .unary("not", try parseNot())
        }
        return try parseIs()
    }

    private mutating func parseIs() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseComparison()
        while true {
            if acceptKeyword("isnull") { left = .isNull(left, negated: false); continue }
            if acceptKeyword("notnull") { left = .isNull(left, negated: true); continue }
            guard acceptKeyword("is") else { return left }
            let negated = acceptKeyword("not")
            if acceptKeyword("null") {
                left = .isNull(left, negated: negated)
            } else if acceptKeyword("true") {
                left = .isBool(left, true, negated: negated)
            } else if acceptKeyword("false") {
                left = .isBool(left, false, negated: negated)
            } else if acceptKeyword("unknown") {
                left = .isNull(left, negated: negated)
            } else if acceptKeyword("distinct") {
                try expectKeyword("from")
                left = .isDistinct(left, try parseComparison(), negated: negated)
            } else {
                throw syntaxError()
            }
        }
    }

    private static let comparisonOps: Set<String> = ["=", "<>", "!=", "<", ">", "<=", ">="]

    private mutating func parseComparison() throws(PGCatalogError) -> CatalogExpr {
        var left = try parsePredicate()
        while let op = current.symbol, Self.comparisonOps.contains(op) {
            advance()
            let normalized = op == "!=" ? "<>" : op
            if let quantified = try parseQuantified(op: normalized, left: left) {
                left = quantified
            } else {
                left = .binary(normalized, left, try parsePredicate())
            }
        }
        return left
    }

    /// `op ANY (…)` / `op ALL (…)` / `op SOME (…)` after a comparison operator, or nil.
    private mutating func parseQuantified(op: String, left: CatalogExpr) throws(PGCatalogError) -> CatalogExpr? {
        guard let k = current.keyword, k == "any" || k == "all" || k == "some", peekToken(1).symbol == "(" else {
            return nil
        }
        advance()
        advance()
        let isAny = k != "all"
        if isKeyword("select") || isKeyword("with") || isKeyword("values") {
            let query = try parseQuery()
            try expectSymbol(")")
            return .quantifiedQuery(op, left, any: isAny, query)
        }
        let array = try parseExpr()
        try expectSymbol(")")
        return .quantified(op, left, any: isAny, array)
    }

    private mutating func parsePredicate() throws(PGCatalogError) -> CatalogExpr {
        let left = try parseOther()
        let save = index
        let negated = acceptKeyword("not")
        if acceptKeyword("like") { return try likeTail("like", left, negated) }
        if acceptKeyword("ilike") { return try likeTail("ilike", left, negated) }
        if acceptKeyword("similar") {
            try expectKeyword("to")
            return try likeTail("similar", left, negated)
        }
        if acceptKeyword("between") {
            _ = acceptKeyword("symmetric")
            let low = try parseOther()
            try expectKeyword("and")
            return .between(left, low, try parseOther(), negated: negated)
        }
        if acceptKeyword("in") {
            try expectSymbol("(")
            if isKeyword("select") || isKeyword("with") || isKeyword("values") {
                let query = try parseQuery()
                try expectSymbol(")")
                return .inQuery(left, query, negated: negated)
            }
            let list = try parseExprList()
            try expectSymbol(")")
            return .inList(left, list, negated: negated)
        }
        index = save
        return left
    }

    private mutating func likeTail(_ op: String, _ left: CatalogExpr, _ negated: Bool) throws(PGCatalogError)
        -> CatalogExpr
    {
        let pattern = try parseOther()
        if acceptKeyword("escape") { _ = try parseOther() }
        let expr = CatalogExpr.binary(op, left, pattern)
        return negated ? .unary("not", expr) : expr
    }

    /// Any other operator (`~`, `!~*`, `||`, `OPERATOR(pg_catalog.~)`, `@>` …): left-associative, above comparison.
    private mutating func parseOther() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseAdditive()
        while let op = try otherOperator() {
            left = .binary(op, left, try parseAdditive())
        }
        return left
    }

    private mutating func otherOperator() throws(PGCatalogError) -> String? {
        if isKeyword("operator"), peekToken(1).symbol == "(" {
            advance()
            advance()
            var op = ""
            while current.symbol != ")" {
                guard current.kind != .end else { throw syntaxError() }
                if case .symbol(let s) = current.kind, s != "." { op = s }
                advance()
            }
            advance()
            return op == "!=" ? "<>" : op
        }
        guard let s = current.symbol, !Self.comparisonOps.contains(s), !"+-*/%^(),.[];::".contains(s) || s == "||"
        else {
            return nil
        }
        advance()
        return s
    }

    private mutating func parseAdditive() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseMultiplicative()
        while let op = current.symbol, op == "+" || op == "-" {
            advance()
            left = .binary(op, left, try parseMultiplicative())
        }
        return left
    }

    private mutating func parseMultiplicative() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseExponent()
        while let op = current.symbol, op == "*" || op == "/" || op == "%" {
            advance()
            left = .binary(op, left, try parseExponent())
        }
        return left
    }

    private mutating func parseExponent() throws(PGCatalogError) -> CatalogExpr {
        var left = try parseUnary()
        while acceptSymbol("^") { left = .binary("^", left, try parseUnary()) }
        return left
    }

    private mutating func parseUnary() throws(PGCatalogError) -> CatalogExpr {
        if let op = current.symbol, op == "-" || op == "+" {
            advance()
            try enter()
            defer { leave() }
            let operand = try parseUnary()
            return op == "-" ? .unary("-", operand) : operand
        }
        return try parsePostfix(try parsePrimary())
    }

    private mutating func parsePostfix(_ base: CatalogExpr) throws(PGCatalogError) -> CatalogExpr {
        var expr = base
        while true {
            if acceptSymbol("::") {
                expr = .cast(expr, try parseTypeName())
            } else if acceptSymbol("[") {
                let sub = try parseExpr()
                if acceptSymbol(":") { _ = try parseExpr() }
                try expectSymbol("]")
                expr = .`subscript`(expr, sub)
            } else if current.symbol == ".", case .identifier(let f, _) = peekToken(1).kind {
                advance()
                advance()
                expr = .field(expr, f)
            } else if acceptKeyword("collate") {
                _ = try identifier()
                while acceptSymbol(".") { _ = try identifier() }
            } else if isKeyword("at"), peekToken(1).keyword == "time" {
                throw .unsupported("AT TIME ZONE is not supported", at: current.position)
            } else {
                return expr
            }
        }
    }

    /// `pg_catalog.regtype`, `character varying(40)`, `double precision`, `int2[]`, `timestamp with time zone`.
    mutating func parseTypeName() throws(PGCatalogError) -> CatalogTypeName {
        var name = try identifier()
        while acceptSymbol(".") { name = try identifier() }
        let multiword: [String: [String]] = [
            "double": ["precision"], "character": ["varying"], "char": ["varying"], "bit": ["varying"],
        ]
        if let next = multiword[name], let k = current.keyword, next.contains(k) {
            advance()
            name += " " + k
        }
        if name == "timestamp" || name == "time" {
            if acceptKeyword("with") {
                try expectKeyword("time"); try expectKeyword("zone"); name += " with time zone"
            } else if acceptKeyword("without") {
                try expectKeyword("time"); try expectKeyword("zone"); name += " without time zone"
            }
        }
        if acceptSymbol("(") {
            _ = try parseExprList()
            try expectSymbol(")")
        }
        var isArray = false
        while acceptSymbol("[") {
            if case .number = current.kind { advance() }
            try expectSymbol("]")
            isArray = true
        }
        if acceptKeyword("array") { isArray = true }
        return CatalogTypeName(name: name, isArray: isArray)
    }
}
