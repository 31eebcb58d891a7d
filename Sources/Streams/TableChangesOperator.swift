import Relational
import StateStore

/// A table's changelog as retractions and additions: for each upsert or delete of a key, the key's previous row (if
/// any) comes out first as an `updateBefore`, then the new row as an `insert` (a delete adds nothing). The previous
/// rows live in a state-store column family keyed by the encoded key columns; changes are staged in an overlay and
/// written with the task's commit, like an aggregation's cache. Kafka Streams' KTable sends "old values" to a
/// downstream groupBy the same way, which is what lets an aggregation over a table take a changed row back out.
struct TableChangesOperator: Sendable {
    let keyColumns: [Int]
    /// ROWTIME, ROWPARTITION, ROWOFFSET: a retraction carries those of the record that caused it, so that it is
    /// ordered, and deduplicated after a replay, with that record's addition.
    let pseudoColumns: [Int]
    let width: Int
    let family: ColumnFamily
    /// Previous rows changed since the last flush (nil: deleted).
    private var overlay: [StateKey: [UInt8]?] = [:]

    init(keyColumns: [Int], pseudoColumns: [Int], width: Int, family: ColumnFamily) {
        self.keyColumns = keyColumns
        self.pseudoColumns = pseudoColumns
        self.width = width
        self.family = family
    }

    var pendingCount: Int { overlay.count }

    mutating func process(_ batch: StreamBatch, store: any StateStore) throws -> StreamBatch {
        var output = StreamBatch(columnCount: width)
        output.reserveCapacity(batch.count * 2)
        var key: [UInt8] = []
        for row in 0..<batch.count {
            key.removeAll(keepingCapacity: true)
            for column in keyColumns { ValueCodec.encode(batch.columns[column][row], into: &key) }
            let stateKey = StateKey(key)
            let previous: [UInt8]? = try overlay[stateKey] ?? store.get(key, in: family)
            if let previous, var old = decode(previous) {
                for c in pseudoColumns { old[c] = batch.columns[c][row] }
                append(old, op: .updateBefore, from: batch, row: row, to: &output)
            }
            if batch.ops[row].isAddition {
                // The new row goes on as it is, and into the overlay encoded straight from the columns.
                var encoded: [UInt8] = []
                for (c, column) in batch.columns.enumerated() {
                    ValueCodec.encode(column[row], into: &encoded)
                    output.columns[c].append(column[row])
                }
                overlay[stateKey] = .some(encoded)
                appendRowInfo(op: .insert, from: batch, row: row, to: &output)
            } else {
                overlay[stateKey] = .some(nil)
            }
        }
        return output
    }

    /// Stages the changed previous rows in the task's write batch.
    mutating func flush(into writes: inout StateWriteBatch) {
        for (key, value) in overlay {
            if let value { writes.put(key.bytes, value, in: family) } else { writes.delete(key.bytes, in: family) }
        }
        overlay.removeAll(keepingCapacity: true)
    }

    /// Forgets the staged rows, after a flush whose commit failed (the task replays from its last commit).
    mutating func discard() { overlay.removeAll() }

    private func decode(_ bytes: [UInt8]) -> [Value]? {
        var columns = [[Value]](repeating: [], count: width)
        let ok = bytes.withUnsafeBytes { ValueCodec.decodeRow($0, into: &columns) }
        return ok ? columns.map { $0[0] } : nil
    }

    private func append(_ values: [Value], op: ChangeOp, from batch: StreamBatch, row: Int, to output: inout StreamBatch) {
        for (c, v) in values.enumerated() { output.columns[c].append(v) }
        appendRowInfo(op: op, from: batch, row: row, to: &output)
    }

    private func appendRowInfo(op: ChangeOp, from batch: StreamBatch, row: Int, to output: inout StreamBatch) {
        output.ops.append(op)
        output.timestamps.append(batch.timestamps[row])
        output.offsets.append(batch.offsets[row])
    }
}
