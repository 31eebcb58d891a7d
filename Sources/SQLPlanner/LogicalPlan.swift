import Relational
import Streams

/// A query as a tree of relational operators over streams and tables, each node with its output schema, whether
/// it produces a stream (append-only records) or a table (upserts by key), and which columns form its key. The
/// executors (Streams) lower it to tasks; EXPLAIN prints it.
public struct LogicalPlan: Hashable, Sendable {
    public indirect enum Operator: Hashable, Sendable {
        /// Records of a stream or table; the row is the source's columns then its pseudo-columns.
        case source(SourceDescription)
        case filter(ScalarExpression)
        /// One output column per expression; names are in `schema`.
        case project([ScalarExpression])
        /// GROUP BY (possibly over a window): output is group values, window bounds, aggregate results.
        case aggregate(groupBy: [ScalarExpression], aggregates: [AggregateCall], window: WindowDefinition?)
        /// Re-keys a stream by the expressions (PARTITION BY), through an internal repartition topic.
        case repartition([ScalarExpression])
        /// One output row per element of the table function's result (EXPLODE), the other columns repeated.
        case tableFunction(name: String, arguments: [ScalarExpression])
        case join(JoinDefinition)
        case unionAll
        case sort([SortKey])
        case limit(count: Int64?, offset: Int64?)
    }

    public enum ResultKind: String, Hashable, Sendable {
        case stream = "STREAM"
        case table = "TABLE"
    }

    public struct SortKey: Hashable, Sendable {
        public var expression: ScalarExpression
        public var descending: Bool
        public var nullsFirst: Bool
    }

    public var op: Operator
    public var inputs: [LogicalPlan]
    public var schema: Schema
    public var resultKind: ResultKind
    /// Windowed table: keys are (key, window).
    public var window: WindowDefinition?

    public init(_ op: Operator, inputs: [LogicalPlan] = [], schema: Schema, resultKind: ResultKind, window: WindowDefinition? = nil) {
        self.op = op
        self.inputs = inputs
        self.schema = schema
        self.resultKind = resultKind
        self.window = window
    }

    public var keyColumns: [Column] { schema.columns(role: .key) }
}
