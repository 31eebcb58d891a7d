/// A query: an optional `WITH` list, a body (one SELECT or a UNION ALL of them), then the clauses that apply
/// to the whole result: `ORDER BY`, `EMIT`, `LIMIT`, `OFFSET`.
///
/// `emit == nil` on a top-level SELECT makes it a pull query; `EMIT CHANGES`/`EMIT FINAL` make it a push query.
/// For CSAS/CTAS/INSERT … SELECT a missing EMIT means EMIT CHANGES (ksqlDB's rule); the binder applies it.
public struct Query: Hashable, Sendable {
    public var with: [CommonTableExpression]
    public var body: QueryBody
    public var orderBy: [SortItem]
    public var emit: EmitMode?
    public var limit: Int64?
    public var offset: Int64?
    public var span: SourceSpan
    /// Where `EMIT …` is written (synthetic without it), for errors about it.
    public var emitSpan: SourceSpan = .synthetic

    public init(
        with: [CommonTableExpression] = [], body: QueryBody, orderBy: [SortItem] = [], emit: EmitMode? = nil,
        limit: Int64? = nil, offset: Int64? = nil, span: SourceSpan = .synthetic
    ) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.emit = emit
        self.limit = limit
        self.offset = offset
        self.span = span
    }

    /// `EMIT CHANGES` or `EMIT FINAL`.
    public enum EmitMode: String, Hashable, Sendable {
        case changes = "CHANGES"
        case final = "FINAL"
    }

    /// `name AS (query)` in a WITH list.
    public struct CommonTableExpression: Hashable, Sendable {
        public var name: Identifier
        public var query: Query

        public init(name: Identifier, query: Query) {
            self.name = name
            self.query = query
        }
    }
}
