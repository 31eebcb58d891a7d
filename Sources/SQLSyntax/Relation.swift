/// A FROM item: a named stream or table, a subquery, or a join of two relations.
public struct Relation: Hashable, Sendable {
    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, span: SourceSpan = .synthetic) {
        self.kind = kind
        self.span = span
    }

    /// What the FROM item is.
    public indirect enum Kind: Hashable, Sendable {
        case source(name: Identifier, alias: Identifier?)
        case subquery(Query, alias: Identifier?)
        case join(Join)
    }
}

/// `left [INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER]] JOIN right [WITHIN …] ON condition`.
/// The condition may be any boolean expression (a deviation from ksqlDB's single equality).
public struct Join: Hashable, Sendable {
    /// The join type; `LEFT OUTER` is `.left`, a bare `JOIN` is `.inner`.
    public enum Kind: String, Hashable, Sendable {
        case inner = "INNER"
        case left = "LEFT"
        case right = "RIGHT"
        case full = "FULL"
    }

    public var kind: Kind
    public var left: Relation
    public var right: Relation
    public var within: WithinClause?
    public var condition: Expr

    public init(kind: Kind, left: Relation, right: Relation, within: WithinClause? = nil, condition: Expr) {
        self.kind = kind
        self.left = left
        self.right = right
        self.within = within
        self.condition = condition
    }
}

/// `WITHIN n unit` or `WITHIN (before, after)`, then an optional `GRACE PERIOD n unit`.
public struct WithinClause: Hashable, Sendable {
    public var before: WindowDuration
    /// nil for the symmetric form `WITHIN n unit`.
    public var after: WindowDuration?
    public var grace: WindowDuration?

    public init(before: WindowDuration, after: WindowDuration? = nil, grace: WindowDuration? = nil) {
        self.before = before
        self.after = after
        self.grace = grace
    }
}
