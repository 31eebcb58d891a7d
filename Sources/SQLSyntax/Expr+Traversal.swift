extension Expr {
    /// The direct subexpressions, left to right as written (lambda bodies and window-specification expressions
    /// included). The binder uses this to find column references, aggregate calls and lambdas.
    public var children: [Expr] {
        switch kind {
        case .literal, .column, .parameter: []
        case .unary(_, let operand): [operand]
        case .binary(_, let left, let right), .isDistinctFrom(let left, let right, _): [left, right]
        case .isNull(let operand, _): [operand]
        case .between(let value, let low, let high, _): [value, low, high]
        case .inList(let value, let list, _): [value] + list
        case .like(let value, let pattern, let escape, _): [value, pattern] + (escape.map { [$0] } ?? [])
        case .caseWhen(let operand, let whens, let elseResult):
            (operand.map { [$0] } ?? []) + whens.flatMap { [$0.condition, $0.result] }
                + (elseResult.map { [$0] } ?? [])
        case .cast(let value, _): [value]
        case .dereference(let base, _): [base]
        case .subscript(let base, let index): [base, index]
        case .function(let call):
            call.arguments + (call.over.map { $0.partitionBy + $0.orderBy.map(\.expression) } ?? [])
        case .lambda(_, let body): [body]
        case .array(let elements): elements
        case .map(let entries): entries.flatMap { [$0.key, $0.value] }
        case .structure(let fields): fields.map(\.value)
        }
    }

    /// Calls `visit` on this expression and every subexpression, parents before children. Returning false from
    /// `visit` skips that expression's children (e.g. to stay out of lambda bodies).
    public func forEach(_ visit: (Expr) throws -> Bool) rethrows {
        var pending = [self]
        while let next = pending.popLast() {
            if try visit(next) { pending.append(contentsOf: next.children.reversed()) }
        }
    }

    /// Whether this expression or any subexpression satisfies `predicate`.
    public func contains(where predicate: (Expr) throws -> Bool) rethrows -> Bool {
        var found = false
        try forEach { expression in
            if found { return false }
            found = try predicate(expression)
            return !found
        }
        return found
    }
}
