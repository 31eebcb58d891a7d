@testable import SQLSyntax

/// Terse constructors for expected ASTs in golden tests (spans are synthetic; equality ignores them).
enum AST {
    static func col(_ name: String, _ qualifier: String? = nil) -> Expr {
        Expr(.column(qualifier: qualifier.map { Identifier($0) }, name: Identifier(name)))
    }
    static func int(_ text: String) -> Expr { Expr(.literal(.integer(text))) }
    static func str(_ text: String) -> Expr { Expr(.literal(.string(text))) }
    static func bin(_ op: Expr.BinaryOperator, _ left: Expr, _ right: Expr) -> Expr {
        Expr(.binary(op, left, right))
    }
    static func not(_ operand: Expr) -> Expr { Expr(.unary(.not, operand)) }
    static func neg(_ operand: Expr) -> Expr { Expr(.unary(.minus, operand)) }
    static func call(
        _ name: String, _ arguments: [Expr], distinct: Bool = false, star: Bool = false,
        over: WindowSpecification? = nil
    ) -> Expr {
        Expr(
            .function(
                FunctionCall(
                    name: Identifier(name), arguments: arguments, distinct: distinct, star: star,
                    over: over)))
    }
    static func item(_ expression: Expr, _ alias: String? = nil) -> SelectItem {
        .expression(expression, alias: alias.map { Identifier($0) })
    }
    static func source(_ name: String, _ alias: String? = nil) -> Relation {
        Relation(.source(name: Identifier(name), alias: alias.map { Identifier($0) }))
    }
    static func query(_ select: Select, emit: Query.EmitMode? = nil, limit: Int64? = nil) -> Statement {
        Statement(.query(Query(body: .select(select), emit: emit, limit: limit)))
    }
    static func duration(_ value: Int64, _ unit: TimeUnit) -> WindowDuration { WindowDuration(value, unit) }
    static func type(_ kind: TypeName.Kind) -> TypeName { TypeName(kind) }

    /// The expression of the first item of a single-SELECT statement.
    static func firstItem(_ statement: Statement) -> Expr? {
        guard case .query(let query) = statement.kind, case .select(let select) = query.body,
            case .expression(let expression, _)? = select.items.first
        else { return nil }
        return expression
    }
}
