/// One `ORDER BY` item: `expr [ASC | DESC] [NULLS FIRST | NULLS LAST]`.
public struct SortItem: Hashable, Sendable {
    /// `ASC` or `DESC`.
    public enum Direction: String, Hashable, Sendable { case ascending = "ASC", descending = "DESC" }
    /// `NULLS FIRST` or `NULLS LAST`.
    public enum NullOrdering: String, Hashable, Sendable { case first = "FIRST", last = "LAST" }

    public var expression: Expr
    /// nil when not written (ascending).
    public var direction: Direction?
    /// nil when not written.
    public var nulls: NullOrdering?

    public init(_ expression: Expr, direction: Direction? = nil, nulls: NullOrdering? = nil) {
        self.expression = expression
        self.direction = direction
        self.nulls = nulls
    }
}
