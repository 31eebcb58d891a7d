import Relational
import SluiceCore
import StateStore
import Testing

@testable import Streams

/// HOPPING windows with EMIT FINAL aggregate panes and merge them when a window closes. The same input, batched and
/// flushed the same way, must give exactly the rows of per-window state: same windows, same results, same order,
/// same late records, over out-of-order input with late records, advances that do and do not divide the size, and
/// flushes that leave panes in the store or the cache.
@Suite struct HoppingPaneTests {
    /// GROUP BY column 0 with COUNT(*), SUM, MIN, MAX and AVG of column 1.
    static func makeOperator(
        _ window: WindowDefinition, store: MemoryStateStore, family: String, panes: Bool, cacheCapacity: Int = 200_000
    ) throws -> AggregateOperator {
        let functions = ScalarFunctionLibrary()
        let key = try CompiledExpression.compile(ScalarExpression(.column(0), .string), columnCount: 2, functions: functions)
        let value = try CompiledExpression.compile(ScalarExpression(.column(1), .bigint), columnCount: 2, functions: functions)
        let calls: [(String, DataType, [CompiledExpression])] = [
            ("COUNT", .bigint, []), ("SUM", .bigint, [value]), ("MIN", .bigint, [value]), ("MAX", .bigint, [value]), ("AVG", .double, [value]),
        ]
        return try AggregateOperator(
            groupBy: [key], arguments: calls.map(\.2),
            functions: calls.map { AggregateFunction(name: $0.0, resultType: $0.1, argumentTypes: $0.2.map(\.type), constants: $0.2.map { _ in nil }) },
            window: window, family: try store.columnFamily(family), usesPanes: panes, cacheCapacity: cacheCapacity)
    }

    struct Run: Equatable {
        var rows: [[Value]] = []
        var times: [Int64] = []
        var late = 0
    }

    /// Feeds `batches` to the operator, flushing (and committing to the store) after the batches `flushAfter` marks.
    /// `restart` replaces the operator with a new one over the same store after the first flush past the middle,
    /// as a restarted task does.
    static func run(
        _ op: inout AggregateOperator, _ batches: [StreamBatch], flushAfter: [Bool], store: MemoryStateStore,
        restart: (() throws -> AggregateOperator)? = nil
    ) throws -> Run {
        var run = Run()
        var context = EvaluationContext()
        var restarted = false
        for (i, batch) in batches.enumerated() {
            if let restart, !restarted, i > batches.count / 2, flushAfter[i - 1] {
                run.late += op.lateRecords
                op = try restart()
                restarted = true
            }
            try op.process(batch, store: store, context: &context)
            if flushAfter[i] || i == batches.count - 1 {
                var writes = StateWriteBatch()
                let output = try op.flush(into: &writes, store: store)
                try store.write(writes, sync: false)
                for row in 0..<output.count { run.rows.append(output.row(row)) }
                run.times += output.timestamps
            }
        }
        run.late += op.lateRecords
        return run
    }

    static func batches(seed: UInt64, records: Int, keys: Int, spreadMs: Int64, disorderMs: Int64) -> ([StreamBatch], [Bool]) {
        var random = SeededRandom(seed: seed)
        var batches: [StreamBatch] = []
        var flushes: [Bool] = []
        var time: Int64 = 0
        var produced = 0
        while produced < records {
            var batch = StreamBatch(columnCount: 2)
            for _ in 0..<Int.random(in: 1...40, using: &random) where produced < records {
                time += Int64.random(in: 0...spreadMs, using: &random)
                let t = max(0, time - Int64.random(in: 0...disorderMs, using: &random))
                batch.columns[0].append(.string("k\(Int.random(in: 0..<keys, using: &random))"))
                batch.columns[1].append(.bigint(Int64.random(in: -50...1000, using: &random)))
                batch.ops.append(.insert)
                batch.timestamps.append(t)
                batch.offsets.append(Int64(produced))
                produced += 1
            }
            batches.append(batch)
            flushes.append(Int.random(in: 0..<4, using: &random) == 0)
        }
        return (batches, flushes)
    }

    static let shapes: [(Int64, Int64, Int64)] = [(10_000, 2_000, 0), (10_000, 1_000, 3_000), (10_000, 4_000, 500), (9_000, 6_000, 0), (1_000, 10, 200)]

    @Test(arguments: shapes)
    func panesGiveTheRowsOfPerWindowState(size: Int64, advance: Int64, grace: Int64) throws {
        try Self.compare(size: size, advance: advance, grace: grace, seeds: 1...3, restartAndEvict: false)
    }

    /// The same with a restart in the middle, and a cache so small that panes are read back from the store.
    @Test(arguments: shapes)
    func panesSurviveRestartsAndCacheEviction(size: Int64, advance: Int64, grace: Int64) throws {
        try Self.compare(size: size, advance: advance, grace: grace, seeds: 11...12, restartAndEvict: true)
    }

    static func compare(size: Int64, advance: Int64, grace: Int64, seeds: ClosedRange<UInt64>, restartAndEvict: Bool) throws {
        for seed in seeds {
            let (batches, flushes) = batches(seed: seed, records: advance < 100 ? 800 : 2_500, keys: 7, spreadMs: advance / 3 + 1,
                                             disorderMs: advance * 2)
            let window = WindowDefinition(kind: .hopping(size: size, advance: advance), graceMs: grace, retentionMs: size + grace,
                                          emitFinal: true)
            let store = MemoryStateStore()
            let capacity = restartAndEvict ? 16 : 200_000
            var perWindow = try makeOperator(window, store: store, family: "windows", panes: false)
            var withPanes = try makeOperator(window, store: store, family: "panes", panes: true, cacheCapacity: capacity)
            #expect(withPanes.panes != nil && perWindow.panes == nil)
            let expected = try run(&perWindow, batches, flushAfter: flushes, store: store)
            let actual = try run(&withPanes, batches, flushAfter: flushes, store: store, restart: restartAndEvict ? {
                try makeOperator(window, store: store, family: "panes", panes: true, cacheCapacity: capacity)
            } : nil)
            #expect(expected.rows.count > 100, "the input closes windows")
            #expect(expected.late > 0 || grace > 0, "out-of-order input is late for some windows")
            #expect(actual.late == expected.late, "seed \(seed)")
            expectSameRows(actual, expected, "seed \(seed)")
        }
    }

    /// One record of another key, far ahead in time: it closes every window the other records opened.
    static func closer() -> StreamBatch {
        var closer = StreamBatch(columnCount: 2)
        closer.columns[0].append(.string("other"))
        closer.columns[1].append(.bigint(0))
        closer.ops.append(.insert)
        closer.timestamps.append(10_000_000)
        closer.offsets.append(99_999)
        return closer
    }

    static func expectSameRows(_ actual: Run, _ expected: Run, _ label: String) {
        #expect(actual.rows.count == expected.rows.count, "\(label)")
        let differing = (0..<min(actual.rows.count, expected.rows.count)).first { i in
            actual.rows[i] != expected.rows[i] || actual.times[i] != expected.times[i]
        }
        if let i = differing {
            Issue.record("\(label): row \(i) is \(actual.rows[i]) at \(actual.times[i]), per-window state gives \(expected.rows[i]) at \(expected.times[i])")
        }
    }

    /// Once every window has been emitted, no pane and no index entry is left in the store.
    @Test func emittedPanesLeaveNothingBehind() throws {
        let window = WindowDefinition(kind: .hopping(size: 10_000, advance: 1_000), graceMs: 0, retentionMs: 10_000, emitFinal: true)
        let store = MemoryStateStore()
        var op = try Self.makeOperator(window, store: store, family: "panes", panes: true)
        var (batches, flushes) = Self.batches(seed: 9, records: 2_000, keys: 5, spreadMs: 300, disorderMs: 0)
        batches.append(Self.closer())
        flushes.append(true)
        let run = try Self.run(&op, batches, flushAfter: flushes, store: store)
        // Each in-order record counts once in each window containing it: 10, or fewer near the epoch.
        let counted = run.rows.filter { $0[0] != .string("other") }.reduce(Int64(0)) { $0 + ($1[3].integerValue ?? 0) }
        let times = batches.dropLast().flatMap(\.timestamps)
        #expect(counted == times.reduce(Int64(0)) { $0 + min(10, $1 / 1_000 + 1) })
        #expect(run.late == 0)
        let left = try store.all(try store.columnFamily("panes"))
        // Only the closer's own pane, its ten windows' index entries (still open) and the stream time stay.
        #expect(left.count == 1 + 10 + 1, "\(left.count) entries left")
    }
}
