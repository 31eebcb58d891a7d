// MARK: - Primary expressions: literals, parameters, names, calls, CASE, CAST, ARRAY, subqueries.

extension CatalogParser {
    /// Functions PostgreSQL lets you call without parentheses (SQL-standard niladic functions).
    static let niladic: Set<String> = [
        "current_user", "session_user", "user", "current_role", "current_catalog", "current_schema",
        "current_timestamp", "current_date", "localtimestamp",
    ]

    mutating func parsePrimary() throws(PGCatalogError) -> CatalogExpr {
        let token = current
        switch token.kind {
        case .number(let s):
            advance()
            return .literal(Self.numberValue(s))
        case .string(let s):
            advance()
            return .unknownLiteral(s)
        case .parameter(let n):
            advance()
            return .parameter(n)
        case .symbol("("):
            return try parseParenthesized()
        case .identifier(let word, let quoted):
            if !quoted, let special = try parseKeywordExpression(word) { return special }
            return try parseNameOrCall()
        default:
            throw syntaxError()
        }
    }

    static func numberValue(_ s: String) -> CatalogValue {
        if let v = Int64(s) {
            return v >= Int64(Int32.min) && v <= Int64(Int32.max)
                ? .int(v, type: PGTypeOID.int4) : .int(v, type: PGTypeOID.int8)
        }
        return .float(Double(s) ?? 0, type: PGTypeOID.numeric)
    }

    private mutating func parseParenthesized() throws(PGCatalogError) -> CatalogExpr {
        advance()
        if isKeyword("select") || isKeyword("with") || isKeyword("values") {
            let query = try parseQuery()
            try expectSymbol(")")
            return .scalarQuery(query)
        }
        let list = try parseExprList()
        try expectSymbol(")")
        return list.count == 1 ? list[0] : .row(list)
    }

    /// Keyword-led forms; nil when the word is an ordinary name.
    private mutating func parseKeywordExpression(_ word: String) throws(PGCatalogError) -> CatalogExpr? {
        switch word {
        case "null": advance(); return .literal(.null)
        case "true": advance(); return .literal(.bool(true))
        case "false": advance(); return .literal(.bool(false))
        case "case": advance(); return try parseCase()
        case "cast": return try parseCastCall()
        case "exists":
            guard peekToken(1).symbol == "(" else { return nil }
            advance()
            advance()
            let query = try parseQuery()
            try expectSymbol(")")
            return .exists(query)
        case "array": return try parseArrayConstructor()
        case "row":
            guard peekToken(1).symbol == "(" else { return nil }
            advance()
            advance()
            let list = current.symbol == ")" ? [] : try parseExprList()
            try expectSymbol(")")
            return .row(list)
        case "interval", "date", "timestamp", "timestamptz":
            guard case .string(let s) = peekToken(1).kind else { return nil }
            let position = current.position
            advance()
            advance()
            let type = word == "timestamptz" ? "timestamp with time zone" : word
            _ = position
            return .cast(.unknownLiteral(s), CatalogTypeName(name: type, isArray: false))
        default:
            guard Self.niladic.contains(word), peekToken(1).symbol != "(" else { return nil }
            let position = current.position
            advance()
            return .call(CatalogCall(name: word, arguments: [], position: position))
        }
    }

    private mutating func parseCase() throws(PGCatalogError) -> CatalogExpr {
        let operand = isKeyword("when") ? nil : try parseExpr()
        var whens: [(CatalogExpr, CatalogExpr)] = []
        while acceptKeyword("when") {
            let condition = try parseExpr()
            try expectKeyword("then")
            whens.append((condition, try parseExpr()))
        }
        guard !whens.isEmpty else { throw syntaxError() }
        let otherwise = acceptKeyword("else") ? try parseExpr() : nil
        try expectKeyword("end")
        return .caseWhen(operand: operand, whens: whens, otherwise: otherwise)
    }

    private mutating func parseCastCall() throws(PGCatalogError) -> CatalogExpr? {
        guard peekToken(1).symbol == "(" else { return nil }
        advance()
        advance()
        let expr = try parseExpr()
        try expectKeyword("as")
        let type = try parseTypeName()
        try expectSymbol(")")
        return .cast(expr, type)
    }

    private mutating func parseArrayConstructor() throws(PGCatalogError) -> CatalogExpr? {
        if peekToken(1).symbol == "(" {
            advance()
            advance()
            let query = try parseQuery()
            try expectSymbol(")")
            return .arrayQuery(query)
        }
        guard peekToken(1).symbol == "[" else { return nil }
        advance()
        return try parseArrayElements()
    }

    private mutating func parseArrayElements() throws(PGCatalogError) -> CatalogExpr {
        try expectSymbol("[")
        var elements: [CatalogExpr] = []
        if !acceptSymbol("]") {
            repeat {
                elements.append(current.symbol == "[" ? try parseArrayElements() : try parseExpr())
            } while acceptSymbol(",")
            try expectSymbol("]")
        }
        return .array(elements)
    }

    /// `a`, `t.a`, `t.*`, `schema.func(…)`, `func(…) OVER (…)`.
    private mutating func parseNameOrCall() throws(PGCatalogError) -> CatalogExpr {
        let position = current.position
        var names = [try identifier()]
        while current.symbol == "." {
            if peekToken(1).symbol == "*" {
                advance()
                advance()
                return .star(qualifier: names.last)
            }
            guard case .identifier = peekToken(1).kind else { break }
            advance()
            names.append(try identifier())
        }
        if current.symbol == "(" {
            return .call(try parseCallArguments(name: names.last ?? "", position: position))
        }
        if names.count == 1, case .string(let s) = current.kind, PGBuiltinType.byName[names[0]] != nil {
            // A type-prefixed literal: `int4 '5'`, `regclass 't'`.
            advance()
            return .cast(.unknownLiteral(s), CatalogTypeName(name: names[0], isArray: false))
        }
        let qualifier = names.count > 1 ? names[names.count - 2] : nil
        return .column(qualifier: qualifier, name: names.last ?? "", position: position)
    }

    /// The argument list of a call, the cursor on `(`: handles `*`, DISTINCT, ORDER BY inside aggregates,
    /// SQL-standard forms (`substring(x from 1 for 2)`, `trim(trailing ';' from x)`, `position(a in b)`),
    /// FILTER (skipped) and OVER.
    mutating func parseCallArguments(name: String, position: Int) throws(PGCatalogError) -> CatalogCall {
        try expectSymbol("(")
        var call = CatalogCall(name: name, arguments: [], position: position)
        if acceptSymbol("*") {
            call.star = true
        } else if current.symbol != ")" {
            if name == "trim" { return try parseTrim(position: position) }
            call.distinct = acceptKeyword("distinct")
            if !call.distinct { _ = acceptKeyword("all") }
            call.arguments = try parseCallArgumentList(name: name)
            if acceptKeyword("order") {
                try expectKeyword("by")
                call.orderBy = try parseOrderList()
            }
        }
        try expectSymbol(")")
        if acceptKeyword("within") { throw .unsupported("WITHIN GROUP is not supported", at: current.position) }
        if acceptKeyword("filter") {
            try expectSymbol("(")
            try expectKeyword("where")
            _ = try parseExpr()
            try expectSymbol(")")
        }
        if acceptKeyword("over") { call.window = try parseWindow() }
        return call
    }

    private mutating func parseCallArgumentList(name: String) throws(PGCatalogError) -> [CatalogExpr] {
        var args = [try parseExpr()]
        if name == "substring" || name == "substr" || name == "overlay" {
            if acceptKeyword("from") { args.append(try parseExpr()) }
            if acceptKeyword("for") { args.append(try parseExpr()) }
        } else if name == "position", acceptKeyword("in") {
            args.append(try parseExpr())
        } else if name == "extract", acceptKeyword("from") {
            args.append(try parseExpr())
        }
        while acceptSymbol(",") {
            if case .identifier = current.kind, peekToken(1).symbol == "=>" {
                advance()
                advance()
            }
            args.append(try parseExpr())
        }
        return args
    }

    /// `trim([leading|trailing|both] [chars] from x)` → btrim/ltrim/rtrim(x, chars).
    private mutating func parseTrim(position: Int) throws(PGCatalogError) -> CatalogCall {
        var function = "btrim"
        if acceptKeyword("leading") {
            function = "ltrim"
        } else if acceptKeyword("trailing") {
            function = "rtrim"
        } else {
            _ = acceptKeyword("both")
        }
        var chars: CatalogExpr?
        if !isKeyword("from") { chars = try parseExpr() }
        var args: [CatalogExpr]
        if acceptKeyword("from") {
            args = [try parseExpr()]
            if let chars { args.append(chars) }
        } else {
            guard let chars else { throw syntaxError() }
            args = [chars]
            while acceptSymbol(",") { args.append(try parseExpr()) }
        }
        try expectSymbol(")")
        return CatalogCall(name: function, arguments: args, position: position)
    }

    private mutating func parseWindow() throws(PGCatalogError) -> CatalogWindow {
        try expectSymbol("(")
        var window = CatalogWindow(partitionBy: [], orderBy: [])
        if acceptKeyword("partition") {
            try expectKeyword("by")
            window.partitionBy = try parseExprList()
        }
        if acceptKeyword("order") {
            try expectKeyword("by")
            window.orderBy = try parseOrderList()
        }
        if isKeyword("rows") || isKeyword("range") || isKeyword("groups") {
            throw .unsupported("window frames are not supported", at: current.position)
        }
        try expectSymbol(")")
        return window
    }
}
