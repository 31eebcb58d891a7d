/// A scalar expression: a kind and the span it was parsed from (ignored by equality, see `SourceSpan`).
///
/// Parentheses are not kept: `(a + b) * c` is a multiplication whose left operand is an addition, and the
/// unparser adds parentheses back where precedence needs them. Pseudo-columns (`ROWTIME`, `ROWPARTITION`,
/// `ROWOFFSET`, `WINDOWSTART`, `WINDOWEND`) are plain `.column` references; the binder gives them meaning, which
/// also lets a user column of that name shadow or clash with them in one place.
public struct Expr: Hashable, Sendable {
    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, span: SourceSpan = .synthetic) {
        self.kind = kind
        self.span = span
    }

    /// What the expression is.
    public indirect enum Kind: Hashable, Sendable {
        case literal(Literal)
        /// `name` or `qualifier.name`.
        case column(qualifier: Identifier?, name: Identifier)
        /// `$n`, a PostgreSQL positional parameter (1-based).
        case parameter(Int)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `e IS [NOT] NULL`
        case isNull(Expr, negated: Bool)
        /// `a IS [NOT] DISTINCT FROM b`
        case isDistinctFrom(Expr, Expr, negated: Bool)
        /// `e [NOT] BETWEEN low AND high`
        case between(Expr, low: Expr, high: Expr, negated: Bool)
        /// `e [NOT] IN (list)`
        case inList(Expr, [Expr], negated: Bool)
        /// `e [NOT] LIKE pattern [ESCAPE c]`
        case like(Expr, pattern: Expr, escape: Expr?, negated: Bool)
        /// Searched (`operand == nil`) or simple CASE.
        case caseWhen(operand: Expr?, whens: [WhenClause], elseResult: Expr?)
        case cast(Expr, TypeName)
        /// `e->field`
        case dereference(Expr, field: Identifier)
        /// `e[index]`
        case `subscript`(Expr, index: Expr)
        case function(FunctionCall)
        /// `x => body` or `(x, y) => body`; only parsed as a function argument.
        case lambda(parameters: [Identifier], body: Expr)
        /// `ARRAY[e, …]`
        case array([Expr])
        /// `MAP(k := v, …)`
        case map([MapEntry])
        /// `STRUCT(name := v, …)`
        case structure([StructField])
    }

    /// A prefix operator.
    public enum UnaryOperator: String, Hashable, Sendable {
        case not = "NOT"
        case minus = "-"
        case plus = "+"
    }

    /// An infix operator; `rawValue` is its canonical spelling (`!=` is written `<>`).
    public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
        case or = "OR"
        case and = "AND"
        case equal = "="
        case notEqual = "<>"
        case lessThan = "<"
        case lessThanOrEqual = "<="
        case greaterThan = ">"
        case greaterThanOrEqual = ">="
        case concat = "||"
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
        case modulo = "%"

        /// Binding strength; higher binds tighter. See the precedence table in Grammar/README.md.
        public var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            case .equal, .notEqual, .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual: 4
            case .concat: 5
            case .add, .subtract: 6
            case .multiply, .divide, .modulo: 7
            }
        }
    }

    /// `WHEN condition THEN result` of a CASE (for a simple CASE, `condition` is the value compared).
    public struct WhenClause: Hashable, Sendable {
        public var condition: Expr
        public var result: Expr

        public init(condition: Expr, result: Expr) {
            self.condition = condition
            self.result = result
        }
    }

    /// `key := value` in `MAP(…)`.
    public struct MapEntry: Hashable, Sendable {
        public var key: Expr
        public var value: Expr

        public init(key: Expr, value: Expr) {
            self.key = key
            self.value = value
        }
    }

    /// `name := value` in `STRUCT(…)`.
    public struct StructField: Hashable, Sendable {
        public var name: Identifier
        public var value: Expr

        public init(name: Identifier, value: Expr) {
            self.name = name
            self.value = value
        }
    }
}
