/// A batch of rows stored column by column, with a change op per row: the unit executors pass along.
///
/// `columns[c][r]` is the value of column `c` in row `r`; all columns have `count` values. Executors
/// evaluate an expression over a whole column at a time and filter with a selection of row indices
/// (`selecting(_:)`), so the per-row cost is a loop body, not a call chain. A batch is a value type:
/// reuse one by `removeAll(keepingCapacity: true)` to avoid reallocating per batch.
public struct RowBatch: Sendable, Hashable {
    public let schema: Schema
    public var columns: [[Value]]
    public var ops: [ChangeOp]

    public init(schema: Schema, capacity: Int = 0) {
        self.schema = schema
        self.columns = Array(repeating: [], count: schema.count)
        self.ops = []
        reserveCapacity(capacity)
    }

    public var count: Int { ops.count }
    public var isEmpty: Bool { ops.isEmpty }

    public mutating func reserveCapacity(_ capacity: Int) {
        guard capacity > 0 else { return }
        for index in columns.indices { columns[index].reserveCapacity(capacity) }
        ops.reserveCapacity(capacity)
    }

    /// Appends one row; `values` must have one value per column.
    public mutating func append(_ values: some Collection<Value>, op: ChangeOp = .insert) {
        precondition(values.count == columns.count, "row has \(values.count) values for \(columns.count) columns")
        for (index, value) in zip(columns.indices, values) { columns[index].append(value) }
        ops.append(op)
    }

    public mutating func append(_ row: Row, op: ChangeOp = .insert) {
        append(row.values, op: op)
    }

    /// Row `index` as a `Row` (allocates; for edges and tests).
    public func row(_ index: Int) -> Row {
        Row(columns.map { $0[index] })
    }

    /// All rows, in order (allocates; for edges and tests).
    public var rows: [Row] { (0..<count).map(row) }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        for index in columns.indices { columns[index].removeAll(keepingCapacity: keepingCapacity) }
        ops.removeAll(keepingCapacity: keepingCapacity)
    }

    /// A batch of the rows at `indices` (a filter's selection vector), in that order.
    public func selecting(_ indices: [Int]) -> RowBatch {
        var result = RowBatch(schema: schema)
        result.columns = columns.map { column in indices.map { column[$0] } }
        result.ops = indices.map { ops[$0] }
        return result
    }

    /// A batch over other columns (a projection's output), keeping the ops; each column must have `count` values.
    public func projecting(schema newSchema: Schema, columns newColumns: [[Value]]) -> RowBatch {
        precondition(newColumns.count == newSchema.count && newColumns.allSatisfy { $0.count == count })
        var result = RowBatch(schema: newSchema)
        result.columns = newColumns
        result.ops = ops
        return result
    }
}
