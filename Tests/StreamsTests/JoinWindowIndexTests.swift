import Relational
import SluiceCore
import SluiceTestSupport
import StateStore
import Testing

@testable import Streams

/// Stream-stream joins probe their rows in memory (`JoinWindowIndex`) and fall back to scanning the state store when
/// the rows outgrow `maxIndexedRows`. The same input must give exactly the same output either way: same pairs, same
/// NULL-padded rows, same order, same late records, over out-of-order input, every join kind, flushes to the store,
/// a restart from the store, and a switch to the store halfway.
@Suite struct JoinWindowIndexTests {
    /// Rows are (key BIGINT, value BIGINT) on both sides; WITHIN 40 ms before, 90 ms after, GRACE 25 ms; the residual,
    /// when present, keeps pairs whose values differ by less than 700. The store's time segments span 50 ms (a
    /// real join's span at least a minute), so that expiry drops many of them.
    static func makeOperator(
        _ kind: JoinDefinition.Kind, residual: Bool, store: any StateStore, maxIndexedRows: Int, partition: Int32 = 0
    ) throws -> JoinOperator {
        let column = { (i: Int) in ScalarExpression(.column(i), .bigint) }
        let difference = ScalarExpression(.arithmetic(.subtract, column(1), column(3)), .bigint)
        let condition = ScalarExpression(
            .and(ScalarExpression(.comparison(.lessThan, difference, ScalarExpression(.literal(.bigint(700)), .bigint)), .boolean),
                 ScalarExpression(.comparison(.greaterThan, difference, ScalarExpression(.literal(.bigint(-700)), .bigint)), .boolean)),
            .boolean)
        let definition = JoinDefinition(
            kind: kind, leftKeys: [column(0)], rightKeys: [column(0)], residual: residual ? condition : nil,
            withinBeforeMs: 40, withinAfterMs: 90, graceMs: 25)
        return try JoinOperator(
            definition: definition, shape: .streamStream, leftWidth: 2, rightWidth: 2,
            families: [try store.columnFamily("left"), try store.columnFamily("right")], functions: ScalarFunctionLibrary(),
            maxIndexedRows: maxIndexedRows, segmentMs: 50, partition: partition)
    }

    static func batch(_ rows: [(key: Int64?, value: Int64, time: Int64, offset: Int64)]) -> StreamBatch {
        var batch = StreamBatch(columnCount: 2)
        for row in rows {
            batch.columns[0].append(row.key.map(Value.bigint) ?? .null)
            batch.columns[1].append(.bigint(row.value))
            batch.ops.append(.insert)
            batch.timestamps.append(row.time)
            batch.offsets.append(row.offset)
        }
        return batch
    }

    struct Run: Equatable {
        var rows: [[Value]] = []
        var times: [Int64] = []
        var late = 0
        /// Whether the operator probed in memory at the end.
        var inMemory = false
        /// Rows in the store at the end (in memory only).
        var storedRows = 0
    }

    /// Feeds the batch pairs, committing to the store every third batch; with `restartAt`, a new operator over the
    /// same store takes over after the commit at that batch (what a restarted task does).
    /// With `neighbour`, the task of another partition shares the store (as a query's tasks share its column
    /// families) and runs the same rows 100 s later in event time: it must not touch this task's rows or stream time.
    static func run(
        _ kind: JoinDefinition.Kind, residual: Bool, _ batches: [(StreamBatch, StreamBatch)], maxIndexedRows: Int, restartAt: Int?,
        neighbour: Bool = false, restartMaxIndexedRows: Int? = nil
    ) throws -> Run {
        let dir = TemporaryDirectory("sluice-join")
        defer { dir.remove() }
        let store = try RocksDBStateStore(path: dir.path)
        var op = try makeOperator(kind, residual: residual, store: store, maxIndexedRows: maxIndexedRows)
        var other = neighbour ? try makeOperator(kind, residual: residual, store: store, maxIndexedRows: maxIndexedRows, partition: 1) : nil
        var run = Run()
        var context = EvaluationContext()
        for (i, (left, right)) in batches.enumerated() {
            let output = try op.process(left: left, right: right, store: store, context: &context)
            for row in 0..<output.count { run.rows.append(output.row(row)) }
            run.times += output.timestamps
            run.late += op.takeLateRecords().count
            if other != nil {
                var (laterLeft, laterRight) = (left, right)
                laterLeft.timestamps = left.timestamps.map { $0 + 100_000 }
                laterRight.timestamps = right.timestamps.map { $0 + 100_000 }
                _ = try other!.process(left: laterLeft, right: laterRight, store: store, context: &context)
            }
            if i % 3 == 2 {
                var writes = StateWriteBatch()
                op.flush(into: &writes)
                other?.flush(into: &writes)
                try store.write(writes, sync: false)
                if i == restartAt {
                    op = try makeOperator(kind, residual: residual, store: store, maxIndexedRows: restartMaxIndexedRows ?? maxIndexedRows)
                }
            }
        }
        run.inMemory = op.probesInMemory
        if let indexed = op.indexedRows {
            // Rows reach the store lazily (some expire first and never do), in chunks, and leave it a whole segment at
            // a time: after a last flush, the store holds every row still in memory, and besides them only expired
            // rows of segments not dropped yet.
            var writes = StateWriteBatch()
            op.flush(into: &writes)
            try store.write(writes, sync: false)
            let cutoff = op.streamTime - 155
            for (side, family) in ["left", "right"].enumerated() {
                var stored: Set<[Int64]> = []
                // Partition 0's rows (keys start with the partition, then the time segment).
                try store.scan(try store.columnFamily(family), from: [0, 0, 0, 0], to: [0, 0, 0, 1]) { key, value in
                    if JoinOperator.chunkSegment(key) != nil {
                        try JoinOperator.forEachChunkEntry(value) { _, time, offset, _ in stored.insert([time, offset]) }
                        return true
                    }
                    guard key.count >= 28 else { return true }
                    let time = Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 16, as: UInt64.self)) ^ (1 << 63))
                    let offset = Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)))
                    stored.insert([time, offset])
                    return true
                }
                let live = Set(indexed[side].map { [$0.time, $0.offset] })
                #expect(!live.isEmpty && live.isSubset(of: stored))
                #expect(stored.subtracting(live).allSatisfy { $0[0] < cutoff })
                run.storedRows += stored.count
            }
        }
        return run
    }

    @Test(arguments: [JoinDefinition.Kind.inner, .left, .right, .full])
    func inMemoryProbesMatchStoreScans(kind: JoinDefinition.Kind) throws {
        var random = SeededRandom(seed: 20_261_205)
        var offsets: [Int64] = [0, 0]
        var clock: Int64 = 1_000
        var batches: [(StreamBatch, StreamBatch)] = []
        for _ in 0..<60 {
            var sides: [[(key: Int64?, value: Int64, time: Int64, offset: Int64)]] = [[], []]
            for _ in 0..<Int.random(in: 0..<40, using: &random) {
                let side = Int.random(in: 0..<2, using: &random)
                // Times on a 5 ms grid, so that rows fall exactly on the bounds of each other's windows often.
                clock += 5 * Int64(Int.random(in: 0..<3, using: &random))
                // Mostly in order; some rows up to 150 ms late (some beyond WITHIN + GRACE, so dropped as late).
                let time = Int.random(in: 0..<4, using: &random) == 0 ? clock - 5 * Int64(Int.random(in: 0..<30, using: &random)) : clock
                let key: Int64? = Int.random(in: 0..<25, using: &random) == 0 ? nil : Int64(Int.random(in: 0..<3, using: &random))
                sides[side].append((key, Int64(Int.random(in: 0..<2_000, using: &random)), time, offsets[side]))
                offsets[side] += 1
            }
            batches.append((Self.batch(sides[0]), Self.batch(sides[1])))
        }
        for residual in [false, true] {
            for restartAt in [nil, 29, 44] as [Int?] {
                let inMemory = try Self.run(kind, residual: residual, batches, maxIndexedRows: 1_000_000, restartAt: restartAt)
                let scanning = try Self.run(kind, residual: residual, batches, maxIndexedRows: 0, restartAt: restartAt)
                // About 30 rows are live at a time (WITHIN + GRACE is 155 ms, a row every 5 ms): 40 is outgrown late.
                let switching = try Self.run(kind, residual: residual, batches, maxIndexedRows: 40, restartAt: restartAt)
                #expect(inMemory.rows.count > 200)
                #expect(inMemory.late > 0)
                #expect(inMemory.inMemory && !scanning.inMemory && !switching.inMemory)
                let label = "\(kind) residual \(residual) restart \(String(describing: restartAt))"
                #expect(inMemory.rows == scanning.rows && inMemory.times == scanning.times && inMemory.late == scanning.late, "\(label)")
                #expect(inMemory.rows == switching.rows && inMemory.times == switching.times && inMemory.late == switching.late, "\(label)")
                // Expired segments were dropped: the store holds fewer rows than went in.
                #expect(inMemory.storedRows > 0 && inMemory.storedRows < batches.reduce(0) { $0 + $1.0.count + $1.1.count } / 2, "\(label)")
                // Stream time is stored with the rows: a restart right after a commit changes nothing, also with another
                // partition's task far ahead in event time in the same families (scanning the store as well).
                if restartAt != nil {
                    let straight = try Self.run(kind, residual: residual, batches, maxIndexedRows: 1_000_000, restartAt: nil)
                    #expect(inMemory.rows == straight.rows && inMemory.times == straight.times && inMemory.late == straight.late, "\(label)")
                    for maxIndexedRows in [1_000_000, 0] {
                        let shared = try Self.run(kind, residual: residual, batches, maxIndexedRows: maxIndexedRows, restartAt: restartAt, neighbour: true)
                        #expect(shared.rows == straight.rows && shared.times == straight.times && shared.late == straight.late, "\(label) shared")
                    }
                    // Rows stored in chunks by a task that held them in memory, read by a restarted task that may hold
                    // fewer than there are: it probes the store, with the chunks' rows under their own keys.
                    let lowered = try Self.run(kind, residual: residual, batches, maxIndexedRows: 1_000_000, restartAt: restartAt,
                                               restartMaxIndexedRows: 5)
                    #expect(!lowered.inMemory)
                    #expect(lowered.rows == straight.rows && lowered.times == straight.times && lowered.late == straight.late, "\(label) lowered")
                }
            }
        }
    }

    /// The index keeps every row's values in one array, `width` per row in arrival order, and compacts it with the
    /// arrival queue once most rows have expired. Over 30,000 rows (many compactions), some arriving late, every row a
    /// probe, a flush or a drop visits must carry its own values: (key, time).
    @Test func rowsKeepTheirValuesAcrossCompactions() {
        var index = JoinWindowIndex(width: 2)
        var random = SeededRandom(seed: 42)
        var inserted: [(key: Int64, time: Int64)] = []
        var cutoff: Int64 = .min
        var persisted = 0  // rows `takeUnpersisted` has visited
        func check(_ row: UnsafeBufferPointer<Value>, key: Int64, time: Int64) {
            #expect(row.count == 2 && row[0] == .bigint(key) && row[1] == .bigint(time), "row at \(time) of key \(key): \(Array(row))")
        }
        for i in 0..<30_000 {
            // Mostly in time order; one row in ten up to 50 ms late.
            let time = Int64(i) - (Int.random(in: 0..<10, using: &random) == 0 ? Int64.random(in: 0..<50, using: &random) : 0)
            let key = Int64(i % 7)
            index.insert(StateKey([UInt8(key)]), time: time, offset: Int64(i), row: [Value.bigint(key), .bigint(time)])
            inserted.append((key, time))
            if i % 997 == 996 {
                cutoff = Int64(i) - 2_000
                index.expire(before: cutoff)
                for k in 0..<7 {
                    var seen = 0
                    index.forEach(StateKey([UInt8(k)]), from: .min, through: .max) { entry, row in
                        check(row, key: Int64(k), time: entry.time)
                        seen += 1
                    }
                    #expect(seen > 0)
                }
            }
            if i % 1_499 == 1_498 {
                var visited = 0
                index.takeUnpersisted { key, time, offset, row in
                    check(row, key: Int64(key.bytes[0]), time: time)
                    #expect(inserted[Int(offset)].time == time)
                    visited += 1
                }
                // Every row since the last flush, except those queued before the last expiry's stopping point.
                #expect(visited <= inserted.count - persisted && visited > 0)
                persisted = inserted.count
            }
        }
        var held = 0
        index.forEachHeld { key, time, _, row in
            check(row, key: Int64(key.bytes[0]), time: time)
            held += 1
        }
        #expect(held == index.count && held >= 2_000)
    }

    /// An operator chain passes an empty batch on untouched, so an empty side can arrive with another width (a nested
    /// join's inner output, before a projection); only sides with rows must match the join's widths.
    @Test func anEmptySideMayHaveAnyWidth() throws {
        let dir = TemporaryDirectory("sluice-join-width")
        defer { dir.remove() }
        let store = try RocksDBStateStore(path: dir.path)
        var op = try Self.makeOperator(.inner, residual: false, store: store, maxIndexedRows: 1_000)
        var context = EvaluationContext()
        let right = Self.batch([(key: 1, value: 7, time: 1_000, offset: 0)])
        let output = try op.process(left: StreamBatch(columnCount: 5), right: right, store: store, context: &context)
        #expect(output.isEmpty)
        var wide = StreamBatch(columnCount: 5)
        wide.columns = (0..<5).map { _ in [Value.bigint(1)] }
        wide.ops = [.insert]
        wide.timestamps = [1_000]
        wide.offsets = [1]
        #expect(throws: EvaluationError.self) { _ = try op.process(left: wide, right: StreamBatch(columnCount: 2), store: store, context: &context) }
    }
}
