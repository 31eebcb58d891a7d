/// The `OVER (PARTITION BY … ORDER BY …)` of a window function such as ROW_NUMBER, LAG or LEAD.
public struct WindowSpecification: Hashable, Sendable {
    public var partitionBy: [Expr]
    public var orderBy: [SortItem]
    public var span: SourceSpan

    public init(partitionBy: [Expr] = [], orderBy: [SortItem] = [], span: SourceSpan = .synthetic) {
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.span = span
    }
}
