/// Generic traversal of `CatalogExpr` trees that stops at subquery boundaries (a subquery's aggregates and
/// window functions belong to it, not to the enclosing SELECT).
enum CatalogExprWalker {
    static func visit(_ e: CatalogExpr, _ body: (CatalogExpr) -> Void) {
        body(e)
        for child in children(e) { visit(child, body) }
    }

    static func children(_ e: CatalogExpr) -> [CatalogExpr] {
        switch e {
        case .literal, .unknownLiteral, .parameter, .column, .star, .exists, .scalarQuery, .arrayQuery: return []
        case .unary(_, let a), .isNull(let a, _), .isBool(let a, _, _), .field(let a, _), .cast(let a, _),
            .inQuery(let a, _, _),
            .quantifiedQuery(_, let a, _, _):
            return [a]
        case .binary(_, let a, let b), .isDistinct(let a, let b, _), .quantified(_, let a, _, let b),
            .subscript(let a, let b):
            return [a, b]
        case .inList(let a, let list, _): return [a] + list
        case .array(let list), .row(let list): return list
        case .call(let c): return c.window == nil ? c.arguments : c.arguments + c.window!.partitionBy
        case .caseWhen(let operand, let whens, let otherwise):
            return (operand.map { [$0] } ?? []) + whens.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case .between(let a, let b, let c, _): return [a, b, c]
        }
    }

    /// Rebuilds the tree bottom-up, replacing any node for which `f` returns a value (its children are not visited).
    static func rewrite(_ e: CatalogExpr, _ f: (CatalogExpr) -> CatalogExpr?) -> CatalogExpr {
        if let replaced = f(e) { return replaced }
        func r(_ x: CatalogExpr) -> CatalogExpr { rewrite(x, f) }
        switch e {
        case .literal, .unknownLiteral, .parameter, .column, .star, .exists, .scalarQuery, .arrayQuery: return e
        case .unary(let op, let a): return .unary(op, r(a))
        case .isNull(let a, let n): return .isNull(r(a), negated: n)
        case .isBool(let a, let b, let n): return .isBool(r(a), b, negated: n)
        case .field(let a, let name): return .field(r(a), name)
        case .cast(let a, let t): return .cast(r(a), t)
        case .inQuery(let a, let q, let n): return .inQuery(r(a), q, negated: n)
        case .quantifiedQuery(let op, let a, let any, let q): return .quantifiedQuery(op, r(a), any: any, q)
        case .binary(let op, let a, let b): return .binary(op, r(a), r(b))
        case .isDistinct(let a, let b, let n): return .isDistinct(r(a), r(b), negated: n)
        case .quantified(let op, let a, let any, let b): return .quantified(op, r(a), any: any, r(b))
        case .subscript(let a, let b): return .subscript(r(a), r(b))
        case .inList(let a, let list, let n): return .inList(r(a), list.map(r), negated: n)
        case .array(let list): return .array(list.map(r))
        case .row(let list): return .row(list.map(r))
        case .call(var c):
            c.arguments = c.arguments.map(r)
            return .call(c)
        case .caseWhen(let operand, let whens, let otherwise):
            return .caseWhen(
                operand: operand.map(r), whens: whens.map { (r($0.0), r($0.1)) }, otherwise: otherwise.map(r))
        case .between(let a, let b, let c, let n): return .between(r(a), r(b), r(c), negated: n)
        }
    }
}
