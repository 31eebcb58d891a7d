/// The set-operation tree of a query.
public indirect enum QueryBody: Hashable, Sendable {
    case select(Select)
    /// `left UNION ALL right`, left-associative.
    case unionAll(QueryBody, QueryBody)
    /// A parenthesized query used as a UNION ALL operand, which may carry its own ORDER BY/LIMIT.
    case nested(Query)
}
