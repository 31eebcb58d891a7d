/// One `SELECT [DISTINCT] … FROM … [WINDOW] [WHERE] [GROUP BY] [PARTITION BY] [HAVING]` block.
///
/// `from` is optional (a deviation from ksqlDB) so that PostgreSQL clients' probes such as `SELECT 1` parse.
public struct Select: Hashable, Sendable {
    /// `SELECT DISTINCT`: one row per distinct output row (`SELECT ALL`, the default, is `false`).
    public var distinct: Bool
    public var items: [SelectItem]
    public var from: Relation?
    public var window: WindowClause?
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var partitionBy: [Expr]
    public var having: Expr?
    public var span: SourceSpan

    public init(
        distinct: Bool = false, items: [SelectItem], from: Relation? = nil, window: WindowClause? = nil, whereClause: Expr? = nil,
        groupBy: [Expr] = [], partitionBy: [Expr] = [], having: Expr? = nil, span: SourceSpan = .synthetic
    ) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.window = window
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.partitionBy = partitionBy
        self.having = having
        self.span = span
    }
}
