import Broker
import Relational
import SQLPlanner
import SluiceCore
import StateStore
import Streams

extension SQLEngine {
    static func materializationID(_ table: String) -> String { "CST_\(table)" }
    static func tableFamily(_ table: String) -> String { "table:\(table)" }

    /// Keeps a table's current rows in RocksDB (ksqlDB's hidden CST_ query): a task reads the table's topic and
    /// upserts each record by key (a tombstone deletes), so pull queries read state, not the log.
    func materialize(_ table: SourceDescription) throws {
        // At start the command log is replayed first; each table then materializes once, in its final shape.
        if replaying { return lock.withLock { pendingMaterializations[table.name] = table } }
        let id = Self.materializationID(table.name)
        if lock.withLock({ materialized.contains(table.name) }) { return }
        // Stored rows follow the table's columns: rows of another layout (a CREATE OR REPLACE or ALTER that did not
        // get to re-materialize before a crash) are dropped and the table re-read, never misread.
        let layouts = try store.columnFamily(Self.tableLayoutsFamily)
        let layout = Self.layout(of: table)
        if let stored = try store.get(Array(table.name.utf8), in: layouts), stored != layout {
            try store.dropColumnFamily(Self.tableFamily(table.name))
            try QueryTask.forgetCommittedOffsets(store, queryID: id)
        }
        var layoutWrite = StateWriteBatch()
        layoutWrite.put(Array(table.name.utf8), layout, in: layouts)
        try store.write(layoutWrite, sync: false)
        let binding = StreamPlanner.binding(table)
        let family = try store.columnFamily(Self.tableFamily(table.name))
        let schema = table.schema
        var columns = schema.columns
        columns += [Schema.rowtime, Schema.rowpartition, Schema.rowoffset]
        if table.windowType != nil { columns += [Schema.windowstart, Schema.windowend] }
        let source = StreamNode(id: 0, name: "Source-0", op: .source(binding), inputs: [], schema: Schema(columns), kind: .table)
        let plan = StreamPlan(queryID: id, nodes: [source])
        let keyPositions = schema.indices(role: .key)
        // A windowed table is keyed by key and window: the stored key appends WINDOWSTART (8 big-endian bytes) and
        // the stored row keeps both bounds.
        let windowed = table.windowType != nil
        let store = self.store
        for p in 0..<table.partitions {
            let task = try QueryTask(queryID: id, plan: plan, partition: Int32(p), client: client, store: store, output: .client({ batch, _ in
                var writes = StateWriteBatch()
                for row in 0..<batch.count {
                    var key = ValueCodec.encode(keyPositions.map { batch.columns[$0][row] })
                    if windowed {
                        withUnsafeBytes(of: (batch.columns[schema.count + 3][row].integerValue ?? 0).bigEndian) { key.append(contentsOf: $0) }
                    }
                    if batch.ops[row].isAddition {
                        // The stored row: the table's columns, then ROWTIME (and WINDOWSTART, WINDOWEND).
                        var values = (0..<schema.count).map { batch.columns[$0][row] }
                        values.append(.bigint(batch.timestamps[row]))
                        if windowed { values += [batch.columns[schema.count + 3][row], batch.columns[schema.count + 4][row]] }
                        writes.put(key, ValueCodec.encode(values), in: family)
                    } else {
                        writes.delete(key, in: family)
                    }
                }
                // Upserts are idempotent: written before the task commits its offset, a replay after a crash is harmless.
                return (try? store.write(writes, sync: false)) != nil
            }), start: .earliest, functions: functions, processingLog: processingLog)
            scheduler.add(task, group: id)
        }
        lock.withLock { _ = materialized.insert(table.name) }
    }

    /// Stops a table's materialization and forgets its state: the stored rows and the task's committed offsets. A
    /// table created again under the same name (perhaps over the same topic, perhaps with other columns) then
    /// materializes from the topic's start instead of reading rows of the old shape or skipping the records the
    /// old task had consumed.
    func dematerialize(_ table: String) throws {
        // While replaying, the state is what the last run left, for the catalog the replay ends with: kept.
        if replaying { return lock.withLock { pendingMaterializations[table] = nil } }
        let id = Self.materializationID(table)
        scheduler.remove(group: id)
        lock.withLock { _ = materialized.remove(table) }
        try store.dropColumnFamily(Self.tableFamily(table))
        try QueryTask.forgetCommittedOffsets(store, queryID: id)
        let layouts = try store.columnFamily(Self.tableLayoutsFamily)
        var forget = StateWriteBatch()
        forget.delete(Array(table.utf8), in: layouts)
        try store.write(forget, sync: false)
    }

    /// Table name → the layout its stored rows have (columns and window type).
    static let tableLayoutsFamily = "table-layouts"

    static func layout(of table: SourceDescription) -> [UInt8] {
        Array((Explain.columns(table.schema) + (table.windowType.map { " WINDOW " + $0.rawValue } ?? "")).utf8)
    }

    /// After replay: every table of the final catalog that wants materializing, once. A failure is logged, as a
    /// replayed statement's is, and does not stop the start.
    func materializeReplayedTables() {
        let pending = lock.withLock { () -> [SourceDescription] in
            defer { pendingMaterializations = [:] }
            return pendingMaterializations.values.sorted { $0.name < $1.name }
        }
        for table in pending {
            do {
                try materialize(table)
            } catch {
                processingLog.record(ProcessingLogEntry(kind: .expression, queryID: Self.materializationID(table.name),
                                                        topic: table.topic, partition: 0, offset: 0,
                                                        message: "materializing \(table.name) after replay failed: \(error)"))
            }
        }
    }
}
