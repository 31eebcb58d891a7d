import Relational
import SluiceCore
import StateStore
import Testing

@testable import Streams

/// SESSION windows with EMIT FINAL keep their sessions in the store only while they are open across a flush: a
/// session that opens and closes between two flushes is never written, and gets no tombstones either. Results must
/// not depend on that: a run with restarts and a tiny cache (sessions read back from the store) gives the rows of a
/// straight run.
@Suite struct SessionWindowStoreTests {
    static let window = WindowDefinition(kind: .session(gap: 500), graceMs: 200, retentionMs: 10_000, emitFinal: true)

    struct Counts {
        var puts = 0
        var deletes = 0
    }

    /// Like `HoppingPaneTests.run`, counting the state writes of every flush.
    static func run(
        _ op: inout AggregateOperator, _ batches: [StreamBatch], flushAfter: [Bool], store: MemoryStateStore, counts: inout Counts,
        restart: (() throws -> AggregateOperator)? = nil
    ) throws -> HoppingPaneTests.Run {
        var run = HoppingPaneTests.Run()
        var context = EvaluationContext()
        var restarts = 0
        for (i, batch) in batches.enumerated() {
            if let restart, i > 0, flushAfter[i - 1], i % 7 == 0 {
                run.late += op.lateRecords
                op = try restart()
                restarts += 1
            }
            try op.process(batch, store: store, context: &context)
            if flushAfter[i] || i == batches.count - 1 {
                var writes = StateWriteBatch()
                let output = try op.flush(into: &writes, store: store)
                writes.forEach { operation, _, _, _ in
                    switch operation {
                    case .put: counts.puts += 1
                    case .delete, .deleteRange: counts.deletes += 1
                    }
                }
                try store.write(writes, sync: false)
                for row in 0..<output.count { run.rows.append(output.row(row)) }
                run.times += output.timestamps
            }
        }
        if restart != nil { #expect(restarts > 2, "the run restarts several times") }
        run.late += op.lateRecords
        return run
    }

    static func makeOperator(store: MemoryStateStore, cacheCapacity: Int = 200_000) throws -> AggregateOperator {
        try HoppingPaneTests.makeOperator(window, store: store, family: "sessions", panes: false, cacheCapacity: cacheCapacity)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func restartsAndEvictionGiveTheRowsOfAStraightRun(seed: UInt64) throws {
        let (batches, flushes) = HoppingPaneTests.batches(seed: seed, records: 3_000, keys: 9, spreadMs: 120, disorderMs: 400)
        let straightStore = MemoryStateStore()
        var straight = try Self.makeOperator(store: straightStore)
        var straightCounts = Counts()
        let expected = try Self.run(&straight, batches, flushAfter: flushes, store: straightStore, counts: &straightCounts)
        let store = MemoryStateStore()
        var restarted = try Self.makeOperator(store: store, cacheCapacity: 4)
        var counts = Counts()
        let actual = try Self.run(&restarted, batches, flushAfter: flushes, store: store, counts: &counts) {
            try Self.makeOperator(store: store, cacheCapacity: 4)
        }
        #expect(expected.rows.count > 50, "the input closes sessions")
        #expect(expected.late > 0, "out-of-order input is late for some sessions")
        #expect(actual.late == expected.late)
        HoppingPaneTests.expectSameRows(actual, expected, "seed \(seed)")
    }

    /// Sessions that open and close between flushes cost no writes: with a flush only every 50 batches, most
    /// sessions never reach the store, so there are fewer tombstones than puts; and once every session has closed,
    /// nothing but the last session, its close-time entry and the stream time is left.
    @Test func sessionsThatNeverReachTheStoreLeaveNoTombstones() throws {
        var (batches, _) = HoppingPaneTests.batches(seed: 5, records: 3_000, keys: 40, spreadMs: 200, disorderMs: 0)
        batches.append(HoppingPaneTests.closer())
        let flushes = batches.indices.map { $0 % 50 == 49 || $0 == batches.count - 1 }
        let store = MemoryStateStore()
        var op = try Self.makeOperator(store: store)
        var counts = Counts()
        let run = try Self.run(&op, batches, flushAfter: flushes, store: store, counts: &counts)
        let counted = run.rows.filter { $0[0] != .string("other") }.reduce(Int64(0)) { $0 + ($1[3].integerValue ?? 0) }
        #expect(counted == Int64(batches.dropLast().reduce(0) { $0 + $1.count }), "every record is in one emitted session")
        #expect(counts.deletes < counts.puts, "\(counts.deletes) tombstones for \(counts.puts) puts")
        let left = try store.all(try store.columnFamily("sessions"))
        #expect(left.count == 3, "\(left.count) entries left")
    }
}
