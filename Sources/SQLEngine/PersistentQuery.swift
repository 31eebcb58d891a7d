import Streams

/// A running CREATE … AS SELECT or INSERT INTO … SELECT: its id, the statement that made it, what it reads and
/// writes, its dataflow and tasks.
public final class PersistentQuery: @unchecked Sendable {
    // @unchecked: `state` and `error` are only written by the engine under its lock; tasks are immutable references.
    public enum State: String, Sendable {
        case running = "RUNNING"
        case paused = "PAUSED"
        case failed = "ERROR"
    }

    public let id: String
    public let statement: String
    public let sink: String
    public let sources: [String]
    public let plan: StreamPlan
    let tasks: [QueryTask]
    public internal(set) var state: State = .running
    public internal(set) var error: String?

    init(id: String, statement: String, sink: String, sources: [String], plan: StreamPlan, tasks: [QueryTask]) {
        self.id = id
        self.statement = statement
        self.sink = sink
        self.sources = sources
        self.plan = plan
        self.tasks = tasks
    }

    /// Totals over the tasks.
    public var metrics: QueryTask.Metrics {
        var total = QueryTask.Metrics()
        for task in tasks {
            let m = task.metrics
            total.recordsIn += m.recordsIn
            total.recordsOut += m.recordsOut
            total.errors += m.errors
            total.lateRecords += m.lateRecords
            total.endOffset += m.endOffset
            total.position += m.position
        }
        return total
    }

    /// Lag per input partition (task), as "topic-partition: lag".
    public var lagByPartition: [(String, Int64)] {
        tasks.map { ("\($0.partition)", $0.metrics.lag) }
    }
}
