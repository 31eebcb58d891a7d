import Relational

/// A bound join: kind, the equality keys of each side, an optional residual (non-equi) condition over the joined
/// row, and the time bound of stream-stream joins.
public struct JoinDefinition: Hashable, Sendable {
    public init(
        kind: Kind, leftKeys: [ScalarExpression], rightKeys: [ScalarExpression], residual: ScalarExpression?,
        withinBeforeMs: Int64?, withinAfterMs: Int64?, graceMs: Int64?
    ) {
        self.kind = kind
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.withinBeforeMs = withinBeforeMs
        self.withinAfterMs = withinAfterMs
        self.graceMs = graceMs
    }

    public enum Kind: String, Hashable, Sendable {
        case inner = "INNER"
        case left = "LEFT"
        case right = "RIGHT"
        case full = "FULL"
    }

    public var kind: Kind
    /// Equality keys over the left input's row and over the right input's row, pairwise.
    public var leftKeys: [ScalarExpression]
    public var rightKeys: [ScalarExpression]
    /// Extra condition over the concatenated row (left columns, then right columns).
    public var residual: ScalarExpression?
    /// WITHIN before/after and GRACE PERIOD of a stream-stream join, in milliseconds.
    public var withinBeforeMs: Int64?
    public var withinAfterMs: Int64?
    public var graceMs: Int64?
    /// A foreign-key table-table join (the left table's column(s) equal the right table's PRIMARY KEY): the left
    /// table's PRIMARY KEY columns, which key the result. nil for every other join.
    public var leftPrimaryKey: [Int]? = nil
}
