import Broker
import LogStorage
import Relational
import SQLPlanner
import SQLSyntax
import SluiceCore
import SluiceTestSupport
import StateStore
import Testing

@testable import Streams

/// A persistent query's task over the real log and RocksDB: JSON in, filter and projection, JSON out.
@Suite struct QueryTaskTests {
    struct Fixture {
        let dir = TemporaryDirectory("sluice-task")
        let logs: LogManager
        let client: EmbeddedLogClient
        let store: RocksDBStateStore
        var catalog = Catalog()

        init() throws {
            logs = try LogManager(dataDirectory: dir.path + "/log")
            client = EmbeddedLogClient(logs: logs)
            store = try RocksDBStateStore(path: dir.path + "/state")
            try execute("CREATE STREAM orders (id BIGINT KEY, item VARCHAR, amount DOUBLE, tags ARRAY<VARCHAR>, user_id VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);")
        }

        mutating func execute(_ sql: String) throws {
            guard case .createSource(let source, _, _) = try Planner(catalog: catalog).plan(try Parser.parseStatement(sql)) else { return }
            try catalog.add(source)
            try client.ensureTopic(source.topic, partitions: source.partitions, config: [:])
        }

        func produce(_ records: [(key: Int64?, value: String?)], timestamp: Timestamp = 1_000) throws {
            var batch = ProducerBatch()
            for record in records {
                let key = record.key.map { k in withUnsafeBytes(of: k.bigEndian) { Array($0) } }
                batch.append(timestamp: timestamp, key: key, value: record.value.map { Array($0.utf8) })
            }
            _ = try client.produce(&batch, to: TopicPartition("orders", 0))
        }

        func plan(_ sql: String) throws -> (StreamPlan, SourceDescription) {
            guard case .createAsSelect(let sink, let logical, _, _) = try Planner(catalog: catalog).plan(try Parser.parseStatement(sql)) else {
                throw EvaluationError("0A000", "not a CSAS")
            }
            try client.ensureTopic(sink.topic, partitions: sink.partitions, config: [:])
            // These tests exercise the repartition path, which single-partition sources otherwise skip.
            let plan = StreamPlanner.lower(logical, queryID: "CSAS_TEST_1", sink: sink, skipsSinglePartitionRepartitions: false)
            for node in plan.nodes {
                if let binding = QueryTask.repartitionBinding(plan, node: node.id) {
                    try client.ensureTopic(binding.topic, partitions: binding.partitions, config: [:])
                }
            }
            return (plan, sink)
        }

        func task(
            _ plan: StreamPlan, _ sink: SourceDescription, stage: Int = 0, log: MemoryProcessingLog? = nil, clock: any Clock = SystemClock(),
            flushStateCount: Int = 50_000
        ) throws -> QueryTask {
            try QueryTask(queryID: "CSAS_TEST_1", plan: plan, stage: stage, partition: 0, client: client, store: store,
                          output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: ScalarFunctionLibrary(), processingLog: log,
                          clock: clock, flushStateCount: flushStateCount)
        }

        /// Every record of a topic's partition 0, as "key|value" text (value JSON as written).
        func records(_ topic: String) throws -> [String] {
            var out: [String] = []
            var reader = FetchReader()
            let fetched = try client.fetch(TopicPartition(topic, 0), from: 0, maxBytes: 1 << 20)
            try fetched.forEachRecord(from: 0, reader: &reader) { record in
                let key = record.key.map { k in k.count == 8 ? String(Int64(bigEndian: k.loadUnaligned(as: Int64.self))) : String(decoding: k, as: UTF8.self) } ?? "null"
                out.append("\(key)|\(record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")@\(record.timestamp)")
            }
            return out
        }

        func close() {
            try? logs.close()
            dir.remove()
        }
    }

    @Test func filtersAndProjectsFromTopicToTopic() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE STREAM big WITH (KAFKA_TOPIC='big', PARTITIONS=1) AS SELECT id, item, amount * 2 AS doubled FROM orders WHERE amount > 10 EMIT CHANGES;")
        try fixture.produce([(1, #"{"item":"apple","amount":5}"#), (2, #"{"ITEM":"pear","AMOUNT":20.5}"#), (3, #"{"item":"fig","amount":11}"#)])
        let task = try fixture.task(plan, sink)
        #expect(try task.step() == .progressed(records: 3))
        #expect(try task.step() == .idle)
        #expect(try fixture.records("big") == [#"2|{"ITEM":"pear","DOUBLED":41.0}@1000"#, #"3|{"ITEM":"fig","DOUBLED":22.0}@1000"#])
        let metrics = task.metrics
        #expect([metrics.recordsIn, metrics.recordsOut, metrics.errors] == [3, 2, 0])
        #expect(metrics.position == 3 && metrics.endOffset == 3 && metrics.lag == 0)
        _ = fixture.catalog
    }

    @Test func aRestartedTaskResumesAtItsCommittedOffset() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE STREAM copy WITH (KAFKA_TOPIC='copy', PARTITIONS=1) AS SELECT id, item FROM orders EMIT CHANGES;")
        try fixture.produce([(1, #"{"item":"a"}"#), (2, #"{"item":"b"}"#)])
        _ = try fixture.task(plan, sink).step()
        try fixture.produce([(3, #"{"item":"c"}"#)])
        let restarted = try fixture.task(plan, sink)
        #expect(try restarted.step() == .progressed(records: 1))
        #expect(try fixture.records("copy").map { $0.prefix(1) } == ["1", "2", "3"])
        _ = fixture.catalog
    }

    @Test func badRecordsAreSkippedAndLoggedAndTheQueryGoesOn() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE STREAM safe WITH (KAFKA_TOPIC='safe', PARTITIONS=1) AS SELECT id, item, 100 / CAST(amount AS INT) AS inverse FROM orders EMIT CHANGES;")
        try fixture.produce([(1, #"{"item":"ok","amount":4}"#), (2, "not json"), (3, #"{"item":"zero","amount":0}"#), (4, #"{"amount":"x"}"#)])
        let log = MemoryProcessingLog()
        let task = try fixture.task(plan, sink, log: log)
        _ = try task.step()
        #expect(try fixture.records("safe") == [#"1|{"ITEM":"ok","INVERSE":25}@1000"#, #"3|{"ITEM":"zero","INVERSE":null}@1000"#])
        let entries = log.entries.sorted { $0.offset < $1.offset }
        #expect(entries.map(\.kind) == [.deserialization, .expression, .deserialization])
        #expect(entries.map(\.offset) == [1, 2, 3])
        #expect(entries[1].message.contains("division by zero"))
        #expect(task.metrics.errors == 3)
        _ = fixture.catalog
    }

    @Test func explodeAndLimitForAPushQuery() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        try fixture.produce([(1, #"{"item":"a","tags":["x","y"]}"#), (2, #"{"item":"b","tags":["z"]}"#), (3, #"{"item":"c","tags":["w"]}"#)])
        guard case .pushQuery(let logical) = try Planner(catalog: fixture.catalog).plan(try Parser.parseStatement("SELECT id, EXPLODE(tags) AS tag FROM orders EMIT CHANGES LIMIT 2;")) else {
            Issue.record("not a push query")
            return
        }
        let plan = StreamPlanner.lower(logical, queryID: "PUSH_1")
        let received = ReceivedRows()
        let task = try QueryTask(queryID: "PUSH_1", plan: plan, partition: 0, client: fixture.client, store: nil,
                                 output: .client({ batch, _ in received.add(batch); return true }), start: .earliest, functions: ScalarFunctionLibrary())
        #expect(try task.step() == .finished)
        #expect(received.rows == [[.bigint(1), .string("x")], [.bigint(1), .string("y")]])
    }
}

extension QueryTaskTests {
    /// Steps `task` until its input runs dry (which flushes an aggregation's cache); returns the records it read.
    func drain(_ task: QueryTask) throws -> Int {
        var total = 0
        for _ in 0..<1000 {
            switch try task.step() {
            case .progressed(let records): total += records
            case .idle, .finished: return total
            }
        }
        Issue.record("the task never ran dry")
        return total
    }

    /// The latest value per key of a topic (table semantics), as "key|value" text.
    func latest(_ fixture: Fixture, _ topic: String) throws -> [String: String] {
        var table: [String: String] = [:]
        for record in try fixture.records(topic) {
            let parts = record.split(separator: "|", maxSplits: 1)
            table[String(parts[0])] = String(parts[1].split(separator: "@")[0])
        }
        return table
    }

    @Test func groupByAggregatesThroughARepartitionTopicIntoRocksDB() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total, MAX(item) AS last_item FROM orders GROUP BY user_id EMIT CHANGES;")
        #expect(QueryTask.stages(of: plan).count == 2)
        try fixture.produce([(1, #"{"user_id":"u1","amount":5,"item":"a"}"#), (2, #"{"user_id":"u2","amount":7,"item":"b"}"#), (3, #"{"user_id":"u1","amount":1.5,"item":"c"}"#)])
        let first = try fixture.task(plan, sink, stage: 0)
        let second = try fixture.task(plan, sink, stage: 1)
        #expect(try first.step() == .progressed(records: 3))
        #expect(try second.step() == .progressed(records: 3))
        // The aggregation holds its changes in its cache until the input runs dry (or the cache fills, or 100 ms pass).
        #expect(try fixture.records("PER_USER").isEmpty)
        #expect(try second.step() == .idle)
        #expect(try latest(fixture, "PER_USER") == ["u1": #"{"CNT":2,"TOTAL":6.5,"LAST_ITEM":"c"}"#, "u2": #"{"CNT":1,"TOTAL":7.0,"LAST_ITEM":"b"}"#])
        // More input, and a restarted second stage: state continues from RocksDB, nothing counted twice.
        try fixture.produce([(4, #"{"user_id":"u2","amount":3,"item":"a"}"#)])
        _ = try first.step()
        let restarted = try fixture.task(plan, sink, stage: 1)
        #expect(try drain(restarted) == 1)
        #expect(try latest(fixture, "PER_USER")["u2"] == #"{"CNT":2,"TOTAL":10.0,"LAST_ITEM":"b"}"#)
    }

    /// A hot key folds in the cache across batches: one update and one state write per flush, not per batch; the
    /// flush comes when the input runs dry, when the cache is full, or when the interval has passed.
    @Test func theAggregationCacheFoldsBatchesUntilAFlush() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE counts AS SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;")
        let clock = ManualClock()
        let first = try fixture.task(plan, sink, stage: 0)
        let second = try fixture.task(plan, sink, stage: 1, clock: clock)
        for i in 1...3 {
            try fixture.produce([(Int64(i), #"{"user_id":"u1"}"#)])
            _ = try first.step()
            #expect(try second.step() == .progressed(records: 1))
        }
        #expect(try fixture.records("COUNTS").isEmpty)
        #expect(try second.step() == .idle)
        #expect(try fixture.records("COUNTS").map { $0.split(separator: "@")[0] } == [#"u1|{"CNT":3}"#])

        // The interval: a batch staged 2 s ago is flushed by the next batch even while input keeps coming.
        try fixture.produce([(4, #"{"user_id":"u1"}"#)])
        _ = try first.step()
        _ = try second.step()
        clock.advance(milliseconds: 2_000)
        try fixture.produce([(5, #"{"user_id":"u2"}"#)])
        _ = try first.step()
        _ = try second.step()
        #expect(try latest(fixture, "COUNTS") == ["u1": #"{"CNT":4}"#, "u2": #"{"CNT":1}"#])

        // The size bound: with room for one key, every batch flushes.
        let eager = try fixture.task(plan, sink, stage: 1, flushStateCount: 1)
        try fixture.produce([(6, #"{"user_id":"u2"}"#)])
        _ = try first.step()
        #expect(try eager.step() == .progressed(records: 1))
        #expect(try latest(fixture, "COUNTS")["u2"] == #"{"CNT":2}"#)
    }

    /// A session that grows over several flushes leaves one close-time index entry per end it had; EMIT FINAL still
    /// emits it once, after stream time passes its last end plus grace.
    @Test func aGrowingSessionIsEmittedOnceWithEmitFinal() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE sessions AS SELECT user_id, COUNT(*) AS cnt FROM orders WINDOW SESSION (10 SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY user_id EMIT FINAL;")
        let first = try fixture.task(plan, sink, stage: 0)
        let second = try fixture.task(plan, sink, stage: 1)
        for (i, time) in [1_000, 3_000, 4_000, 5_000].enumerated() {  // stream time stays below the first close (6 s)
            try fixture.produce([(Int64(i + 1), #"{"user_id":"u1"}"#)], timestamp: Int64(time))
            _ = try first.step()
            _ = try drain(second)
        }
        #expect(try fixture.records("SESSIONS").isEmpty)
        try fixture.produce([(5, #"{"user_id":"u2"}"#)], timestamp: 40_000)
        _ = try first.step()
        _ = try drain(second)
        #expect(try fixture.records("SESSIONS").map { String($0.split(separator: "|")[1].split(separator: "@")[0]) } == [#"{"CNT":4}"#])
    }

    /// Every partition's task of a query opens the same store. A windowed aggregation's close-time index and stream
    /// time must stay each task's own: a task far ahead in event time must not emit (and delete) the windows of a
    /// task behind it.
    @Test func partitionsOfAWindowedAggregationKeepTheirOwnWindows() throws {
        var fixture = try Fixture()
        defer { fixture.close() }
        try fixture.execute("CREATE STREAM clicks (user_id VARCHAR KEY, n INT) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=2);")
        let (plan, sink) = try fixture.plan(
            "CREATE TABLE per_minute AS SELECT user_id, COUNT(*) AS cnt FROM clicks WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) GROUP BY user_id EMIT FINAL;")
        let changelog = try #require(QueryTask.changelogTopic(of: plan, stage: QueryTask.stages(of: plan)[0]))
        try fixture.client.ensureTopic(changelog, partitions: 2, config: ["cleanup.policy": "compact"])
        let tasks = try (0..<2).map { p in
            try QueryTask(queryID: "CSAS_TEST_1", plan: plan, partition: Int32(p), client: fixture.client, store: fixture.store,
                          output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: ScalarFunctionLibrary(), changelog: true)
        }
        func click(_ partition: Int32, _ user: String, at time: Int64) throws {
            var batch = ProducerBatch()
            batch.append(timestamp: time, key: Array(user.utf8), value: Array(#"{"n":1}"#.utf8))
            _ = try fixture.client.produce(&batch, to: TopicPartition("clicks", partition))
        }
        func results() throws -> [String] {
            var values: [String] = []
            var reader = FetchReader()
            for p: Int32 in 0..<2 {
                let fetched = try fixture.client.fetch(TopicPartition(sink.topic, p), from: 0, maxBytes: 1 << 20)
                try fetched.forEachRecord(from: 0, reader: &reader) { record in
                    values.append(record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")
                }
            }
            return values
        }
        try click(1, "b", at: 60_000)
        _ = try drain(tasks[1])  // b's window [60 s, 120 s) is committed, open
        try click(0, "a", at: 200_000)
        _ = try drain(tasks[0])  // partition 0's stream time passes b's close; b's window is not partition 0's
        #expect(try results().isEmpty)
        try click(1, "b", at: 61_000)
        try click(1, "b", at: 130_000)
        _ = try drain(tasks[1])
        #expect(try results() == [#"{"CNT":2}"#])
    }

    /// Windows closing together come out in close-time then key order, whether one was already flushed to the store
    /// and the other still in the cache: the output must not depend on how input was batched.
    @Test func emitFinalOrderDoesNotDependOnBatching() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE per_minute AS SELECT user_id, COUNT(*) AS cnt FROM orders WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) GROUP BY user_id EMIT FINAL;")
        let first = try fixture.task(plan, sink, stage: 0)
        let second = try fixture.task(plan, sink, stage: 1)
        try fixture.produce([(1, #"{"user_id":"a"}"#)], timestamp: 60_000)
        _ = try first.step()
        _ = try drain(second)  // a's window is flushed to the store, still open
        try fixture.produce([(2, #"{"user_id":"b"}"#)], timestamp: 80_000)
        try fixture.produce([(3, #"{"user_id":"c"}"#)], timestamp: 130_000)
        _ = try first.step()
        _ = try drain(second)  // b's window is in the cache when stream time closes both
        let keys = try fixture.records("PER_MINUTE").map { $0.split(separator: "|")[1].split(separator: "@")[0] }
        #expect(keys.count == 2)
        #expect(try fixture.records("PER_MINUTE").map { String($0.prefix(1)) } == ["a", "b"])
    }

    /// A first stage that crashed after writing to the repartition topic but before committing replays its rows;
    /// the aggregating stage must apply every source record once.
    @Test func replayedRepartitionRowsAreAppliedOnce() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE counts AS SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;")
        try fixture.produce([(1, #"{"user_id":"u1"}"#), (2, #"{"user_id":"u1"}"#), (3, #"{"user_id":"u2"}"#)])
        func firstStage() throws -> QueryTask {
            // No store: the stage never commits, so a new instance replays everything, as after a crash.
            try QueryTask(queryID: "CSAS_TEST_1", plan: plan, stage: 0, partition: 0, client: fixture.client, store: nil,
                          output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: ScalarFunctionLibrary())
        }
        let second = try fixture.task(plan, sink, stage: 1)
        _ = try firstStage().step()
        _ = try second.step()
        _ = try firstStage().step()  // the replay: the same three rows again
        try fixture.produce([(4, #"{"user_id":"u1"}"#)])
        _ = try firstStage().step()  // replays 1-3 once more, then the new row
        _ = try second.step()
        _ = try second.step()
        #expect(try latest(fixture, "COUNTS") == ["u1": #"{"CNT":3}"#, "u2": #"{"CNT":1}"#])
        _ = fixture.catalog
    }

    /// A replay can land in the same fetch as the rows it repeats: the first stage crashed and replayed before the
    /// aggregating stage read anything. Those rows must be dropped too.
    @Test func aReplayInTheSameFetchIsAppliedOnce() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE counts AS SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;")
        try fixture.produce([(1, #"{"user_id":"u1"}"#), (2, #"{"user_id":"u1"}"#), (3, #"{"user_id":"u2"}"#)])
        func firstStage() throws -> QueryTask {
            // No store: the stage never commits, so a new instance replays everything, as after a crash.
            try QueryTask(queryID: "CSAS_TEST_1", plan: plan, stage: 0, partition: 0, client: fixture.client, store: nil,
                          output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: ScalarFunctionLibrary())
        }
        _ = try firstStage().step()
        _ = try firstStage().step()  // the same three rows again, before the second stage reads
        let second = try fixture.task(plan, sink, stage: 1)
        _ = try drain(second)
        #expect(try latest(fixture, "COUNTS") == ["u1": #"{"CNT":2}"#, "u2": #"{"CNT":1}"#])
    }

    @Test func tumblingWindowsDropLateRecords() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let (plan, sink) = try fixture.plan("CREATE TABLE per_minute AS SELECT user_id, WINDOWSTART AS ws, COUNT(*) AS cnt FROM orders WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) GROUP BY user_id EMIT CHANGES;")
        try fixture.produce([(1, #"{"user_id":"u1"}"#)], timestamp: 60_000)
        try fixture.produce([(2, #"{"user_id":"u1"}"#)], timestamp: 119_999)
        try fixture.produce([(3, #"{"user_id":"u1"}"#)], timestamp: 180_000)  // stream time moves past 120_000 + 10_000
        try fixture.produce([(4, #"{"user_id":"u1"}"#)], timestamp: 90_000)   // late: window [60000, 120000) closed
        let first = try fixture.task(plan, sink, stage: 0)
        let log = MemoryProcessingLog()
        let second = try fixture.task(plan, sink, stage: 1, log: log)
        _ = try first.step()
        _ = try drain(second)
        // The late record is described in the processing log, with its window.
        #expect(log.entries.map(\.kind) == [.lateRecord])
        #expect(log.entries.first?.message.contains("window [60000, 120000)") == true)
        let rows = try fixture.records("PER_MINUTE").map { String($0.split(separator: "|")[1].split(separator: "@")[0]) }
        #expect(rows == [#"{"WS":60000,"CNT":2}"#, #"{"WS":180000,"CNT":1}"#])
        #expect(second.metrics.lateRecords == 1)
    }
}

final class ReceivedRows: @unchecked Sendable {
    // @unchecked: only touched with `lock` held.
    private let lock = Lock()
    private var stored: [[Value]] = []
    func add(_ batch: StreamBatch) { lock.withLock { for i in 0..<batch.count { stored.append(batch.row(i)) } } }
    var rows: [[Value]] { lock.withLock { stored } }
}
