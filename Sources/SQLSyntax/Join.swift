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
