import Relational
import Streams
import SQLSyntax

/// What the engine is to do with a statement, once bound and planned.
public enum PlannedStatement: Sendable {
    case createSource(SourceDescription, orReplace: Bool, ifNotExists: Bool)
    /// CREATE STREAM/TABLE … AS SELECT: the sink to create and the persistent query that fills it.
    case createAsSelect(sink: SourceDescription, plan: LogicalPlan, orReplace: Bool, ifNotExists: Bool)
    case insertSelect(target: SourceDescription, plan: LogicalPlan)
    /// Rows to append, each with a value per target column (key, value and header columns, in schema order) and an
    /// optional ROWTIME.
    case insertValues(target: SourceDescription, rows: [InsertRow])
    case pushQuery(LogicalPlan)
    case pullQuery(LogicalPlan)
    /// DELETE FROM table WHERE …: tombstones for the matching keys.
    case delete(target: SourceDescription, predicate: ScalarExpression)
    case createType(name: String, type: DataType, ifNotExists: Bool)
    case explain(String)
    /// Statements the engine runs without a plan (SHOW, DESCRIBE, SET, DROP, TERMINATE, …).
    case command(Statement)

    public struct InsertRow: Sendable {
        public var values: [ScalarExpression]
        public var rowtime: ScalarExpression?
    }
}
