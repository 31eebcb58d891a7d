extension Parser {
    /// Precedence levels (see Grammar/README.md): 1 OR, 2 AND, 3 NOT, 4 comparisons and predicates,
    /// 5 `||`, 6 `+ -`, 7 `* / %`, 8 unary `+ -`, then postfix `->` and `[…]`.
    static let notPrecedence = 3
    static let predicatePrecedence = 4

    mutating func parseExpression() throws(SyntaxError) -> Expr {
        try enter()
        defer { leave() }
        return try parseBinary(minimum: 1)
    }

    // MARK: - Precedence climbing

    mutating func parseBinary(minimum: Int) throws(SyntaxError) -> Expr {
        let start = current.span.start
        var left = try parseOperand(minimum: minimum)
        var chain = 0
        defer { leave(chain) }
        while true {
            if let op = binaryOperator(), op.precedence >= minimum {
                advance()
                try enter()
                chain += 1
                let right = try parseBinary(minimum: op.precedence + 1)
                left = Expr(.binary(op, left, right), span: span(from: start))
            } else if Parser.predicatePrecedence >= minimum, let predicate = try parsePredicate(left) {
                try enter()
                chain += 1
                left = Expr(predicate, span: span(from: start))
            } else {
                return left
            }
        }
    }

    /// A `NOT` operand (when NOT binds at this level) or a unary expression.
    private mutating func parseOperand(minimum: Int) throws(SyntaxError) -> Expr {
        let start = current.span.start
        guard minimum <= Parser.notPrecedence, isAt(.NOT) else {
            note(.hidden(.NOT))
            return try parseUnary()
        }
        advance()
        try enter()
        defer { leave() }
        let operand = try parseBinary(minimum: Parser.notPrecedence)
        return Expr(.unary(.not, operand), span: span(from: start))
    }

    private mutating func binaryOperator() -> Expr.BinaryOperator? {
        switch current.kind {
        case .keyword(.OR): return .or
        case .keyword(.AND): return .and
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .lessThan: return .lessThan
        case .lessThanOrEqual: return .lessThanOrEqual
        case .greaterThan: return .greaterThan
        case .greaterThanOrEqual: return .greaterThanOrEqual
        case .concat: return .concat
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .modulo
        default:
            note(.hidden(.AND))
            note(.hidden(.OR))
            note(.what("operator"))
            return nil
        }
    }

    // MARK: - Predicates

    /// `IS [NOT] NULL`, `IS [NOT] DISTINCT FROM`, `[NOT] BETWEEN`, `[NOT] IN`, `[NOT] LIKE` after `left`.
    private mutating func parsePredicate(_ left: Expr) throws(SyntaxError) -> Expr.Kind? {
        if acceptQuietly(.IS) { return try parseIsPredicate(left) }
        var negated = false
        if isAt(.NOT) {
            switch peek(1) {
            case .keyword(.BETWEEN), .keyword(.IN), .keyword(.LIKE):
                advance()
                negated = true
            default: break
            }
        }
        if acceptQuietly(.BETWEEN) {
            let low = try parseBinary(minimum: Parser.predicatePrecedence + 1)
            try expect(.AND)
            let high = try parseBinary(minimum: Parser.predicatePrecedence + 1)
            return .between(left, low: low, high: high, negated: negated)
        }
        if acceptQuietly(.IN) {
            return .inList(left, try parseParenthesizedExpressions(), negated: negated)
        }
        if acceptQuietly(.LIKE) {
            let pattern = try parseBinary(minimum: Parser.predicatePrecedence + 1)
            let escape = accept(.ESCAPE) ? try parseBinary(minimum: Parser.predicatePrecedence + 1) : nil
            return .like(left, pattern: pattern, escape: escape, negated: negated)
        }
        note(.hidden(.NOT))  // IS, BETWEEN, IN and LIKE were noted by acceptQuietly
        return nil
    }

    private mutating func parseIsPredicate(_ left: Expr) throws(SyntaxError) -> Expr.Kind {
        let negated = accept(.NOT)
        if accept(.NULL) { return .isNull(left, negated: negated) }
        if accept(.DISTINCT) {
            try expect(.FROM)
            let right = try parseBinary(minimum: Parser.predicatePrecedence + 1)
            return .isDistinctFrom(left, right, negated: negated)
        }
        throw unexpected()
    }

    /// `(e, …)` with at least one expression.
    mutating func parseParenthesizedExpressions() throws(SyntaxError) -> [Expr] {
        try expect(.leftParen)
        let list = try parseExpressionList()
        try expect(.rightParen)
        return list
    }

    mutating func parseExpressionList() throws(SyntaxError) -> [Expr] {
        var list: [Expr] = []
        list.reserveCapacity(4)
        list.append(try parseExpression())
        while accept(.comma) { list.append(try parseExpression()) }
        return list
    }

    // MARK: - Unary and postfix

    private mutating func parseUnary() throws(SyntaxError) -> Expr {
        let start = current.span.start
        let op: Expr.UnaryOperator
        switch current.kind {
        case .minus: op = .minus
        case .plus: op = .plus
        default: return try parsePostfix()
        }
        advance()
        try enter()
        defer { leave() }
        let operand = try parseUnary()
        return Expr(.unary(op, operand), span: span(from: start))
    }

    private mutating func parsePostfix() throws(SyntaxError) -> Expr {
        let start = current.span.start
        var base = try parsePrimary()
        var chain = 0
        defer { leave(chain) }
        while true {
            if current.kind == .arrow && peek(1) != .star {
                advance()
                try enter()
                chain += 1
                let field = try parseIdentifier()
                base = Expr(.dereference(base, field: field), span: span(from: start))
            } else if acceptQuietly(.leftBracket) {
                try enter()
                chain += 1
                let subscriptIndex = try parseExpression()
                try expect(.rightBracket)
                base = Expr(.subscript(base, index: subscriptIndex), span: span(from: start))
            } else if acceptQuietly(.doubleColon) {
                // PostgreSQL's `x::type`, the same as CAST(x AS type); binds tighter than any operator.
                try enter()
                chain += 1
                base = Expr(.cast(base, try parseType()), span: span(from: start))
            } else {
                return base
            }
        }
    }
}
