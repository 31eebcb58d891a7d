import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import Nexmark
import SQLPlanner
import SQLSyntax
import SluiceCore
import StateStore
import Streams

/// `sluice bench nexmark`: issue 7's benchmark. Generates `--events` Nexmark events into person, auction and bid
/// (JSON, one partition each), then runs each query of Queries/nexmark over them from the earliest offset, on one
/// core (its tasks stepped in this thread, state in RocksDB), and prints events/s per query: all generated events
/// divided by the time until the query has consumed everything, as Nexmark kits count them.
struct NexmarkBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nexmark", abstract: "Nexmark q0–q8 events/s on one core.")
    @Option(help: "Scratch directory (removed afterwards).") var dir = "./bench-nexmark"
    @Option(help: "Events generated (people, auctions and bids, 1:3:46).") var events: Int64 = 10_000_000
    @Option(help: "Directory with ddl.sql and qN.sql.") var sql = "Queries/nexmark"
    @Option(parsing: .upToNextOption, help: "Queries to run.") var queries = ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]

    func run() throws {
        try withScratchDirectory(dir, runQueries)
    }

    private func runQueries() throws {
        let logs = try LogManager(dataDirectory: dir + "/log")
        defer { try? logs.close() }
        let client = EmbeddedLogClient(logs: logs)
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        try NexmarkCommand.append(events, from: NexmarkGenerator(NexmarkGenerator.Configuration()), to: logs, partitions: 1)
        let loadSeconds = Double(clock.monotonicNanoseconds() - start) / 1e9
        print("sluice bench nexmark: \(events) events generated into person, auction and bid in \(format2(loadSeconds)) s; one core per query")
        let ddl = try text("ddl.sql")
        for query in queries {
            guard let script = try? text(query + ".sql") else {
                print("\(query): not in \(sql) (not expressed in Sluice SQL yet)")
                continue
            }
            try measure(query, ddl: ddl, script: script, client: client)
        }
    }

    private func text(_ name: String) throws -> String {
        guard let bytes = try PosixFileSystem().readFile(sql + "/" + name) else { throw ValidationError("\(sql)/\(name) not found") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Plans the query's statements over the DDL's catalog, then steps all their tasks until none has work.
    private func measure(_ query: String, ddl: String, script: String, client: EmbeddedLogClient) throws {
        let store = try RocksDBStateStore(path: "\(dir)/state-\(query)", blockCacheBytes: 256 << 20)
        var catalog = Catalog()
        var tasks: [QueryTask] = []
        for (i, piece) in (StatementSplitter.split(ddl).statements + StatementSplitter.split(script).statements).enumerated() {
            switch try Planner(catalog: catalog).plan(try Parser.parseStatement(piece.text)) {
            case .createSource(let source, _, _):
                try catalog.add(source)
            case .createAsSelect(let sink, let logical, _, _):
                // Sinks are named after the query and run: a rerun of the benchmark starts from empty topics.
                try catalog.add(sink)
                try client.ensureTopic(sink.topic, partitions: sink.partitions, config: [:])
                let id = "\(query.uppercased())_\(i)"
                let plan = StreamPlanner.lower(logical, queryID: id, sink: sink)
                for node in plan.nodes {
                    if let binding = QueryTask.repartitionBinding(plan, node: node.id) {
                        try client.ensureTopic(binding.topic, partitions: binding.partitions, config: [:])
                    }
                }
                for stage in 0..<QueryTask.stages(of: plan).count {
                    tasks.append(try QueryTask(queryID: id, plan: plan, stage: stage, partition: 0, client: client, store: store,
                                               output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: .builtIn))
                }
            default:
                throw ValidationError("\(query): only CREATE … AS SELECT statements are benchmarked")
            }
        }
        let seconds = try EngineBench.drain(tasks).total
        let read = tasks.reduce(0) { $0 + $1.metrics.recordsIn }
        let written = tasks.reduce(0) { $0 + $1.metrics.recordsOut }
        let target = ["q0", "q1", "q2"].contains(query) ? 1_000_000 : 400_000
        print("\(query): \(Int(Double(events) / seconds)) events/s (\(format2(seconds)) s; \(read) records read, \(written) written by its tasks; target \(target))")
    }
}
