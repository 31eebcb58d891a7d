import Relational
import SQLSyntax

/// A type-checked expression, ready for the executors to compile: column references are positions in the input
/// row, literals are values, calls are resolved to one overload, and every node knows its result type.
public struct BoundExpression: Hashable, Sendable, CustomStringConvertible {
    public indirect enum Kind: Hashable, Sendable {
        case literal(Value)
        /// A column of the input row, by position.
        case column(Int)
        /// A `$n` parameter of a prepared statement (1-based).
        case parameter(Int)
        /// A lambda parameter, by position in the enclosing lambdas' parameters (innermost last).
        case lambdaVariable(Int)
        case not(BoundExpression)
        case negate(BoundExpression)
        case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression)
        case comparison(Expr.BinaryOperator, BoundExpression, BoundExpression)
        case and(BoundExpression, BoundExpression)
        case or(BoundExpression, BoundExpression)
        case concat(BoundExpression, BoundExpression)
        case isNull(BoundExpression, negated: Bool)
        case isDistinctFrom(BoundExpression, BoundExpression, negated: Bool)
        case between(BoundExpression, low: BoundExpression, high: BoundExpression, negated: Bool)
        case inList(BoundExpression, [BoundExpression], negated: Bool)
        case like(BoundExpression, pattern: BoundExpression, escape: BoundExpression?, negated: Bool)
        case caseWhen(operand: BoundExpression?, whens: [When], elseResult: BoundExpression?)
        case cast(BoundExpression)
        case field(BoundExpression, index: Int)
        case `subscript`(BoundExpression, index: BoundExpression)
        case call(String, [BoundExpression])
        case lambda(parameterCount: Int, body: BoundExpression)
        case timeUnit(String)
        case array([BoundExpression])
        case map([BoundExpression])
        case structure([BoundExpression])
        /// The result of the aggregate at this position of the enclosing aggregation (HAVING, SELECT after GROUP BY).
        case aggregateResult(Int)
    }

    public struct When: Hashable, Sendable {
        public var condition: BoundExpression
        public var result: BoundExpression
    }

    public var kind: Kind
    public var type: DataType

    public init(_ kind: Kind, _ type: DataType) {
        self.kind = kind
        self.type = type
    }

    /// Whether the expression is a literal NULL (typed by context).
    var isNullLiteral: Bool {
        if case .literal(.null) = kind { return true }
        return false
    }

    public var description: String { ExpressionPrinter.text(self, columns: nil) }
}

/// Prints bound expressions for EXPLAIN, naming columns when the input schema is given.
enum ExpressionPrinter {
    static func text(_ e: BoundExpression, columns: [String]?) -> String {
        func t(_ e: BoundExpression) -> String { text(e, columns: columns) }
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

    static func literal(_ value: Value, _ type: DataType) -> String {
        switch value {
        case .null: return "NULL"
        case .string(let s): return Unparser.stringLiteral(s)
        default: return (try? Value.text(value, type: type)) ?? "\(value)"
        }
    }
}
