import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import Relational
import SQLEngine
import SQLPlanner
import SQLSyntax
import SluiceCore
import StateStore
import Streams

/// `sluice bench engine`: the streaming engine's benchmarks of issue 4, on one core (one task, stepped in this
/// thread): JSON → filter + project → JSON, GROUP BY over 100,000 keys into RocksDB, pull-query key lookups, and
/// memory and idle CPU with 500 persistent queries.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine", abstract: "Streaming engine benchmarks.")
    @Option(help: "Scratch directory (removed afterwards).") var dir = "./bench-engine"
    @Option(help: "Records for the throughput benchmarks.") var records = 1_000_000
    @Option(help: "Persistent queries for the footprint benchmark.") var queries = 500
    @Option(help: "Run only benchmark 1, 2, 3 or 4 (for profiling).") var only: Int?

    func run() throws {
        let fs = PosixFileSystem()
        try? fs.removeItem(dir)
        defer { try? fs.removeItem(dir) }
        print("sluice bench engine: \(records) records, one task stepped on one core")
        if only == nil || only == 1 { try filterProject() }
        if only == nil || only == 2 { try groupBy() }
        if only == nil || only == 3 { try pullLookups() }
        if only == nil || only == 4 { try manyQueries() }
    }

    final class Setup {
        let logs: LogManager
        let client: EmbeddedLogClient
        let store: RocksDBStateStore
        var catalog = Catalog()

        init(_ path: String) throws {
            logs = try LogManager(dataDirectory: path + "/log")
            client = EmbeddedLogClient(logs: logs)
            store = try RocksDBStateStore(path: path + "/state", blockCacheBytes: 256 << 20)
        }

        func create(_ sql: String) throws {
            guard case .createSource(let source, _, _) = try Planner(catalog: catalog).plan(try Parser.parseStatement(sql)) else { return }
            try catalog.add(source)
            try client.ensureTopic(source.topic, partitions: source.partitions, config: [:])
        }

        func plan(_ sql: String, id: String) throws -> (StreamPlan, SourceDescription) {
            guard case .createAsSelect(let sink, let logical, _, _) = try Planner(catalog: catalog).plan(try Parser.parseStatement(sql)) else {
                throw ValidationError("not a CSAS/CTAS")
            }
            try client.ensureTopic(sink.topic, partitions: sink.partitions, config: [:])
            let plan = StreamPlanner.lower(logical, queryID: id, sink: sink)
            for node in plan.nodes {
                if let binding = QueryTask.repartitionBinding(plan, node: node.id) {
                    try client.ensureTopic(binding.topic, partitions: binding.partitions, config: [:])
                }
            }
            return (plan, sink)
        }

        /// Nexmark-style bids as JSON, in batches of 1,000.
        func loadBids(_ count: Int, keys: Int) throws {
            var batch = ProducerBatch()
            var random = SeededRandom(seed: 7)
            for i in 0..<count {
                let auction = Int.random(in: 0..<keys, using: &random)
                let json = #"{"auction":\#(auction),"bidder":\#(i % 9973),"price":\#(Int.random(in: 1...10_000, using: &random)),"channel":"Google","url":"https://www.nexmark.com/a/b/c/item.htm?query=1","dateTime":\#(1_700_000_000_000 + Int64(i))}"#
                batch.append(timestamp: 1_700_000_000_000 + Int64(i), key: nil, value: Array(json.utf8))
                if batch.count == 1_000 { _ = try client.produce(&batch, to: TopicPartition("bids", 0)) }
            }
            if !batch.isEmpty { _ = try client.produce(&batch, to: TopicPartition("bids", 0)) }
        }

        static let bids = "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime BIGINT) WITH (KAFKA_TOPIC='bids', VALUE_FORMAT='JSON', PARTITIONS=1);"
    }

    /// Steps every task until none has work; returns seconds in all and per task.
    static func drain(_ tasks: [QueryTask]) throws -> (total: Double, perTask: [Double]) {
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        var perTask = [UInt64](repeating: 0, count: tasks.count)
        var busy = true
        while busy {
            busy = false
            for (i, task) in tasks.enumerated() {
                let before = clock.monotonicNanoseconds()
                if case .progressed = try task.step(maxBytes: 4 << 20) { busy = true }
                perTask[i] += clock.monotonicNanoseconds() - before
            }
        }
        return (Double(clock.monotonicNanoseconds() - start) / 1e9, perTask.map { Double($0) / 1e9 })
    }

    func filterProject() throws {
        let setup = try Setup(dir + "/q1")
        defer { try? setup.logs.close() }
        try setup.create(Setup.bids)
        try setup.loadBids(records, keys: 10_000)
        let (plan, sink) = try setup.plan("CREATE STREAM q2 WITH (KAFKA_TOPIC='q2', PARTITIONS=1) AS SELECT auction, price * 908 / 1000 AS euros, bidder FROM bids WHERE auction % 123 = 0 OR price > 5000 EMIT CHANGES;", id: "Q")
        let task = try QueryTask(queryID: "Q", plan: plan, partition: 0, client: setup.client, store: setup.store,
                                 output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: .builtIn)
        let seconds = try Self.drain([task]).total
        print("1. JSON → filter + project (Nexmark q1/q2 shape) → JSON, log to log: \(Int(Double(records) / seconds)) records/s (\(task.metrics.recordsOut) out; target 1,000,000)")
    }

    func groupBy() throws {
        let setup = try Setup(dir + "/agg")
        defer { try? setup.logs.close() }
        try setup.create(Setup.bids)
        try setup.loadBids(records, keys: 100_000)
        let (plan, sink) = try setup.plan("CREATE TABLE per_auction WITH (KAFKA_TOPIC='per_auction', PARTITIONS=1) AS SELECT auction, COUNT(*) AS n, SUM(price) AS total FROM bids GROUP BY auction EMIT CHANGES;", id: "A")
        let stages = try (0..<QueryTask.stages(of: plan).count).map { stage in
            try QueryTask(queryID: "A", plan: plan, stage: stage, partition: 0, client: setup.client, store: setup.store,
                          output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: .builtIn)
        }
        let (seconds, perStage) = try Self.drain(stages)
        let split = perStage.enumerated().map { "stage \($0.offset) \(Int($0.element * 1000)) ms" }.joined(separator: ", ")
        print("2. GROUP BY auction, COUNT and SUM over 100,000 keys in RocksDB, log to table (one partition: no repartition needed): \(Int(Double(records) / seconds)) records/s (\(split); target 500,000)")
    }

    func pullLookups() throws {
        let setup = try Setup(dir + "/pull")
        try setup.logs.close()
        let logs = try LogManager(dataDirectory: dir + "/pull/log2")
        let engine = try SQLEngine(client: EmbeddedLogClient(logs: logs), store: try RocksDBStateStore(path: dir + "/pull/state2", blockCacheBytes: 256 << 20), workers: 1)
        defer {
            engine.shutdown()
            try? logs.close()
        }
        var session = SessionState()
        _ = try engine.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);", session: &session)
        let keys = 100_000
        for start in stride(from: 0, to: keys, by: 2_000) {
            let values = (start..<start + 2_000).map { "(\($0), 'user\($0)', \($0 % 100))" }.joined(separator: ", ")
            _ = try engine.execute("INSERT INTO users (id, name, score) VALUES \(values);", session: &session)
        }
        while true {  // wait for the materialization
            if case .rows(let r)? = try engine.execute("SELECT id FROM users WHERE id = \(keys - 1);", session: &session).last, !r.rows.isEmpty { break }
            usleep(50_000)
        }
        let prepared = try engine.preparePull("SELECT name, score FROM users WHERE id = $1;")
        for (label, usePrepared) in [("ad hoc SQL: parse, plan, RocksDB get", false), ("prepared, with $1: RocksDB get", true)] {
            var random = SeededRandom(seed: 3)
            let clock = SystemClock()
            var latencies: [UInt64] = []
            let lookups = 100_000
            latencies.reserveCapacity(lookups)
            let start = clock.monotonicNanoseconds()
            for _ in 0..<lookups {
                let t0 = clock.monotonicNanoseconds()
                let id = Int.random(in: 0..<keys, using: &random)
                if usePrepared {
                    _ = try engine.execute(prepared, parameters: [.bigint(Int64(id))])
                } else {
                    _ = try engine.execute("SELECT name, score FROM users WHERE id = \(id);", session: &session)
                }
                latencies.append(clock.monotonicNanoseconds() - t0)
            }
            let seconds = Double(clock.monotonicNanoseconds() - start) / 1e9
            latencies.sort()
            let p50 = Double(latencies[lookups / 2]) / 1000
            let p99 = Double(latencies[lookups * 99 / 100]) / 1000
            print("3. pull-query key lookups through the engine API (\(label)): \(Int(Double(lookups) / seconds)) lookups/s, p50 \(Int(p50)) µs, p99 \(Int(p99)) µs (target 200,000/s)")
        }
    }

    func manyQueries() throws {
        let logs = try LogManager(dataDirectory: dir + "/many/log")
        let engine = try SQLEngine(client: EmbeddedLogClient(logs: logs), store: try RocksDBStateStore(path: dir + "/many/state"), workers: 2)
        defer {
            engine.shutdown()
            try? logs.close()
        }
        var session = SessionState()
        let before = residentBytes()
        _ = try engine.execute("CREATE STREAM events (id BIGINT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON', PARTITIONS=1);", session: &session)
        for i in 0..<queries {
            let sql = i % 2 == 0
                ? "CREATE STREAM f\(i) WITH (PARTITIONS=1) AS SELECT id, v * \(i) AS w FROM events WHERE v > \(i % 10) EMIT CHANGES;"
                : "CREATE TABLE t\(i) WITH (PARTITIONS=1) AS SELECT k, COUNT(*) AS n FROM events GROUP BY k EMIT CHANGES;"
            _ = try engine.execute(sql, session: &session)
        }
        _ = try engine.execute("INSERT INTO events (id, k, v) VALUES (1, 'a', 5), (2, 'b', 7);", session: &session)
        usleep(3_000_000)  // let every query process the input, then go idle
        let cpuBefore = processCPU()
        let wallBefore = SystemClock().monotonicNanoseconds()
        usleep(10_000_000)
        let cpu = processCPU() - cpuBefore
        let wall = Double(SystemClock().monotonicNanoseconds() - wallBefore) / 1e9
        let after = residentBytes()
        print("4. \(queries) persistent queries on one node: resident memory \(after >> 20) MiB (\((after - before) >> 20) MiB for the queries), idle CPU \(String(format2(100 * cpu / wall)))% of a core over \(Int(wall)) s (targets ≤ 1 GiB, < 5%)")
    }

    func residentBytes() -> Int {
        // /proc files report size 0, so read into a buffer rather than by the file's size.
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
        let fields = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).split(separator: " ")
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func processCPU() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(0), &usage)  // RUSAGE_SELF
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
