import Relational

/// A type-checked scalar expression, the executors' input: column references are positions in the input row,
/// literals are values, calls name one resolved function, and every node knows its result type. The planner binds
/// SQL into it; the executors compile it once per query into batch evaluators.
public struct ScalarExpression: Hashable, Sendable, CustomStringConvertible {
    /// Only the cases that hold an operand directly are `indirect`: leaves (columns, literals, parameters) and
    /// calls, whose operands sit in an array, are stored inline, so binding them allocates no box.
    public enum Kind: Hashable, Sendable {
        case literal(Value)
        /// A column of the input row, by position.
        case column(Int)
        /// A `$n` parameter of a prepared statement (1-based).
        case parameter(Int)
        /// A lambda parameter, by position in the enclosing lambdas' parameters (innermost last).
        case lambdaVariable(Int)
        indirect case not(ScalarExpression)
        indirect case negate(ScalarExpression)
        indirect case arithmetic(ArithmeticOperator, ScalarExpression, ScalarExpression)
        indirect case comparison(ComparisonOperator, ScalarExpression, ScalarExpression)
        indirect case and(ScalarExpression, ScalarExpression)
        indirect case or(ScalarExpression, ScalarExpression)
        indirect case concat(ScalarExpression, ScalarExpression)
        indirect case isNull(ScalarExpression, negated: Bool)
        indirect case isDistinctFrom(ScalarExpression, ScalarExpression, negated: Bool)
        indirect case between(ScalarExpression, low: ScalarExpression, high: ScalarExpression, negated: Bool)
        indirect case inList(ScalarExpression, [ScalarExpression], negated: Bool)
        indirect case like(ScalarExpression, pattern: ScalarExpression, escape: ScalarExpression?, negated: Bool)
        indirect case caseWhen(operand: ScalarExpression?, whens: [When], elseResult: ScalarExpression?)
        indirect case cast(ScalarExpression)
        indirect case field(ScalarExpression, index: Int)
        indirect case `subscript`(ScalarExpression, index: ScalarExpression)
        case call(String, [ScalarExpression])
        indirect case lambda(parameterCount: Int, body: ScalarExpression)
        case timeUnit(String)
        case array([ScalarExpression])
        case map([ScalarExpression])
        case structure([ScalarExpression])
        /// The result of the aggregate at this position of the enclosing aggregation (HAVING, SELECT after GROUP BY).
        case aggregateResult(Int)
    }

    public struct When: Hashable, Sendable {
        public var condition: ScalarExpression
        public var result: ScalarExpression

        public init(condition: ScalarExpression, result: ScalarExpression) {
            self.condition = condition
            self.result = result
        }
    }

    public var kind: Kind
    public var type: DataType

    public init(_ kind: Kind, _ type: DataType) {
        self.kind = kind
        self.type = type
    }

    /// Whether the expression is a literal NULL (typed by context).
    public var isNullLiteral: Bool {
        if case .literal(.null) = kind { return true }
        return false
    }

    public var description: String { ExpressionPrinter.text(self, columns: nil) }
}

/// Prints bound expressions for EXPLAIN, naming columns when the input schema is given.
public enum ExpressionPrinter {
    public static func text(_ e: ScalarExpression, columns: [String]?) -> String {
        func t(_ e: ScalarExpression) -> String { text(e, columns: columns) }
        switch e.kind {
        case .literal(let value): return literal(value, e.type)
        case .column(let i): return columns.map { i < $0.count ? $0[i] : "#\(i)" } ?? "#\(i)"
        case .parameter(let n): return "$\(n)"
        case .lambdaVariable(let i): return "λ\(i)"
        case .not(let x): return "(NOT \(t(x)))"
        case .negate(let x): return "(- \(t(x)))"
        case .arithmetic(let op, let l, let r): return "(\(t(l)) \(op.rawValue) \(t(r)))"
        case .comparison(let op, let l, let r): return "(\(t(l)) \(op.rawValue) \(t(r)))"
        case .and(let l, let r): return "(\(t(l)) AND \(t(r)))"
        case .or(let l, let r): return "(\(t(l)) OR \(t(r)))"
        case .concat(let l, let r): return "(\(t(l)) || \(t(r)))"
        case .isNull(let x, let negated): return "(\(t(x)) IS \(negated ? "NOT " : "")NULL)"
        case .isDistinctFrom(let l, let r, let negated): return "(\(t(l)) IS \(negated ? "NOT " : "")DISTINCT FROM \(t(r)))"
        case .between(let x, let low, let high, let negated):
            return "(\(t(x)) \(negated ? "NOT " : "")BETWEEN \(t(low)) AND \(t(high)))"
        case .inList(let x, let list, let negated): return "(\(t(x)) \(negated ? "NOT " : "")IN (\(list.map(t).joined(separator: ", "))))"
        case .like(let x, let pattern, let escape, let negated):
            return "(\(t(x)) \(negated ? "NOT " : "")LIKE \(t(pattern))\(escape.map { " ESCAPE \(t($0))" } ?? ""))"
        case .caseWhen(let operand, let whens, let elseResult):
            let arms = whens.map { "WHEN \(t($0.condition)) THEN \(t($0.result))" }.joined(separator: " ")
            return "CASE \(operand.map { t($0) + " " } ?? "")\(arms)\(elseResult.map { " ELSE \(t($0))" } ?? "") END"
        case .cast(let x): return "CAST(\(t(x)) AS \(e.type))"
        case .field(let x, let index):
            if case .struct(let fields) = x.type, index < fields.count { return "\(t(x))->\(fields[index].name)" }
            return "\(t(x))->#\(index)"
        case .subscript(let x, let index): return "\(t(x))[\(t(index))]"
        case .call(let name, let args): return "\(name)(\(args.map(t).joined(separator: ", ")))"
        case .lambda(let count, let body): return "(\((0..<count).map { "λ+\($0)" }.joined(separator: ", "))) => \(t(body))"
        case .timeUnit(let unit): return unit
        case .array(let items): return "ARRAY[\(items.map(t).joined(separator: ", "))]"
        case .map(let items):
            var pairs: [String] = []
            for i in stride(from: 0, to: items.count - 1, by: 2) { pairs.append("\(t(items[i])) := \(t(items[i + 1]))") }
            return "MAP(\(pairs.joined(separator: ", ")))"
        case .structure(let items):
            guard case .struct(let fields) = e.type else { return "STRUCT(…)" }
            return "STRUCT(\(zip(fields, items).map { "\($0.name) := \(t($1))" }.joined(separator: ", ")))"
        case .aggregateResult(let i): return "agg#\(i)"
        }
    }

    public static func literal(_ value: Value, _ type: DataType) -> String {
        switch value {
        case .null: return "NULL"
        case .string(let s): return "'" + s.replacing("'", with: "''") + "'"
        default: return (try? Value.text(value, type: type)) ?? "\(value)"
        }
    }
}

/// The comparison operators of SQL, for `ScalarExpression.comparison`.
public enum ComparisonOperator: String, Hashable, Sendable {
    case equal = "="
    case notEqual = "<>"
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
}

extension ScalarExpression {
    /// The expressions directly inside this one.
    public var children: [ScalarExpression] {
        switch kind {
        case .literal, .column, .parameter, .lambdaVariable, .timeUnit, .aggregateResult: []
        case .not(let e), .negate(let e), .isNull(let e, _), .cast(let e), .field(let e, _): [e]
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b), .concat(let a, let b),
            .isDistinctFrom(let a, let b, _), .subscript(let a, index: let b):
            [a, b]
        case .between(let x, let low, let high, _): [x, low, high]
        case .inList(let x, let items, _): [x] + items
        case .like(let x, let pattern, let escape, _): [x, pattern] + (escape.map { [$0] } ?? [])
        case .caseWhen(let operand, let whens, let elseResult):
            (operand.map { [$0] } ?? []) + whens.flatMap { [$0.condition, $0.result] } + (elseResult.map { [$0] } ?? [])
        case .call(_, let arguments), .array(let arguments), .map(let arguments), .structure(let arguments): arguments
        case .lambda(_, let body): [body]
        }
    }

    /// The input columns this expression reads.
    public func collectColumns(into columns: inout Set<Int>) {
        if case .column(let i) = kind { columns.insert(i) }
        for child in children { child.collectColumns(into: &columns) }
    }

    /// The types of the `$n` parameters used in this expression, by n.
    public func collectParameterTypes(into types: inout [Int: DataType]) {
        if case .parameter(let n) = kind, types[n] == nil { types[n] = type }
        for child in children { child.collectParameterTypes(into: &types) }
    }
}
