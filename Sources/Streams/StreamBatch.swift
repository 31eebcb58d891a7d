import Relational

/// Rows moving through a query: columns plus, per row, its change op, event time (ROWTIME, which sinks write as the
/// record timestamp) and where it came from (partition and offset, for the processing log).
public struct StreamBatch: Sendable {
    public var columns: [[Value]]
    public var ops: [ChangeOp]
    public var timestamps: [Int64]
    public var offsets: [Int64]

    public init(columnCount: Int) {
        columns = Array(repeating: [], count: columnCount)
        ops = []
        timestamps = []
        offsets = []
    }

    public var count: Int { ops.count }
    public var isEmpty: Bool { ops.isEmpty }

    public mutating func reserveCapacity(_ n: Int) {
        for i in columns.indices { columns[i].reserveCapacity(n) }
        ops.reserveCapacity(n)
        timestamps.reserveCapacity(n)
        offsets.reserveCapacity(n)
    }

    /// Appends `other`'s rows (same columns) after these (UNION ALL).
    public mutating func append(contentsOf other: StreamBatch) {
        for i in columns.indices { columns[i] += other.columns[i] }
        ops += other.ops
        timestamps += other.timestamps
        offsets += other.offsets
    }

    /// The given rows, in that order. With `read`, only the columns it marks are copied; the others come out NULL
    /// (columns no later operator reads).
    public func gathering(_ rows: [Int], read: [Bool]? = nil) -> StreamBatch {
        var result = StreamBatch(columnCount: 0)
        // One array of NULLs shared by every unread column (copied on write, if ever).
        let nulls = read == nil ? [] : [Value](repeating: .null, count: rows.count)
        result.columns = columns.indices.map { c in
            if let read, c < read.count, !read[c] { return nulls }
            let column = columns[c]
            return rows.map { column[$0] }
        }
        result.ops = rows.map { ops[$0] }
        result.timestamps = rows.map { timestamps[$0] }
        result.offsets = rows.map { offsets[$0] }
        return result
    }

    public var evaluationInput: EvaluationInput { EvaluationInput(columns: columns, count: count) }

    /// One row's values (tests and pull results).
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }
}
