import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import NIOCore
import NIOEmbedded
import PGWire
import SQLEngine
import Server
import SluiceCore
import StateStore

/// `sluice bench pgwire`: the server's own CPU per pgbench-style key lookup over the PostgreSQL wire, on one core
/// and without sockets. The real frame decoder, connection handler, state machine, session and engine run on an
/// EmbeddedChannel, fed the bytes pgbench sends (`-M prepared`: Bind, Describe, Execute, Sync; `-M extended`: Parse
/// first). What the kernel and the client cost is left out, so the figure moves only with Sluice's code: use it to
/// compare builds; `bench/pgbench-vs-postgres.sh` is the comparison with PostgreSQL.
struct PGWireBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgwire", abstract: "PostgreSQL-wire key lookups through the server's whole path, without sockets.")
    @Option(help: "Scratch directory (removed afterwards).") var dir = "./bench-data"
    @Option(help: "Keys in the table looked up.") var keys = 10_000
    @Option(help: "Seconds per round of each measurement.") var seconds = 2.0
    @Option(help: "Rounds per measurement; the median is reported.") var rounds = 5

    static let lookup = "SELECT k, v FROM kv WHERE k = $1"

    func run() throws {
        try withScratchDirectory(dir, measureAll)
    }

    private func measureAll() throws {
        let logs = try LogManager(dataDirectory: dir + "/log")
        let engine = try SQLEngine(client: EmbeddedLogClient(logs: logs), store: try RocksDBStateStore(path: dir + "/state"), workers: 1)
        defer {
            engine.shutdown()
            try? logs.close()
        }
        try load(engine)
        print("sluice bench pgwire: \(keys) keys, one connection, one core, no sockets (server CPU only)")
        for extended in [false, true] {
            let channel = try connect(engine)
            defer { _ = try? channel.finish() }
            // One request per key, as pgbench would send it; replayed round-robin.
            let requests = (0..<min(keys, 4_096)).map { i in Self.request(key: 1 + (i * 7_919) % keys, extended: extended) }
            let reply = try Self.exchange(channel, requests[0])
            guard reply.readableBytesView.contains(UInt8(ascii: "D")), String(buffer: reply).contains("value-1") else {
                throw ValidationError("the lookup of key 1 did not return its row: \(String(buffer: reply).debugDescription)")
            }
            var next = 0
            let rate = try measure {
                _ = try Self.exchange(channel, requests[next])
                next = next + 1 == requests.count ? 0 : next + 1
            }
            let mode = extended ? "-M extended (Parse, Bind, Describe, Execute, Sync)" : "-M prepared (Bind, Describe, Execute, Sync)"
            print("\(mode): \(rate)")
        }
    }

    /// A table of `keys` rows, `k` → 'value-k', materialised before the measurement.
    private func load(_ engine: SQLEngine) throws {
        var session = SessionState()
        _ = try engine.execute(
            "CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='kv', VALUE_FORMAT='JSON', PARTITIONS=1);", session: &session)
        for start in stride(from: 1, through: keys, by: 2_000) {
            let values = (start..<min(start + 2_000, keys + 1)).map { "(\($0), 'value-\($0)')" }.joined(separator: ", ")
            _ = try engine.execute("INSERT INTO kv (k, v) VALUES \(values);", session: &session)
        }
        let clock = SystemClock()
        let deadline = clock.monotonicNanoseconds() + 60_000_000_000
        while clock.monotonicNanoseconds() < deadline {
            if case .rows(let r)? = try engine.execute("SELECT v FROM kv WHERE k = \(keys);", session: &session).last, !r.rows.isEmpty { return }
            usleep(20_000)
        }
        throw ValidationError("the table was not materialised within 60 s")
    }

    /// A connection through the server's pipeline, started up, with the lookup prepared as statement "s".
    private func connect(_ engine: SQLEngine) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try PGWirePipeline.addHandlers(
            to: channel.pipeline.syncOperations, configuration: .init(), registry: PGCancelRegistry(),
            session: SluiceServer.pgSession(engine: engine))
        var startup = ByteBuffer()
        FrontendMessage.startup(StartupMessage(parameters: ["user": "bench", "database": "sluice"])).encode(into: &startup)
        guard String(buffer: try Self.exchange(channel, startup)).hasSuffix("Z\0\0\0\u{5}I") else {
            throw ValidationError("the connection did not start up")
        }
        var parse = ByteBuffer()
        FrontendMessage.parse(Parse(name: "s", sql: Self.lookup)).encode(into: &parse)
        FrontendMessage.sync.encode(into: &parse)
        _ = try Self.exchange(channel, parse)
        return channel
    }

    /// pgbench's messages for one lookup of `key` (text parameter, as pgbench sends it).
    static func request(key: Int, extended: Bool) -> ByteBuffer {
        var buffer = ByteBuffer()
        if extended { FrontendMessage.parse(Parse(name: "", sql: lookup)).encode(into: &buffer) }
        let bind = Bind(portal: "", statement: extended ? "" : "s", parameters: [ByteBuffer(string: String(key))])
        FrontendMessage.bind(bind).encode(into: &buffer)
        FrontendMessage.describe(Describe(kind: .portal, name: "")).encode(into: &buffer)
        FrontendMessage.execute(Execute(portal: "")).encode(into: &buffer)
        FrontendMessage.sync.encode(into: &buffer)
        return buffer
    }

    /// Feeds `request` as one socket read and returns everything the server wrote back.
    static func exchange(_ channel: EmbeddedChannel, _ request: ByteBuffer) throws -> ByteBuffer {
        try channel.writeInbound(request)
        channel.pipeline.fireChannelReadComplete()
        var reply = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { reply.writeBuffer(&part) }
        return reply
    }

    /// Transactions per second and microseconds each, as "median (min–max of n rounds)".
    func measure(_ body: () throws -> Void) throws -> String {
        let rates = try measureRates(seconds: seconds, rounds: rounds, warmUp: 2_000, checkClockEvery: 1_000, body)
        let median = rates[rates.count / 2]
        return "\(Int(median)) transactions/s, \(format2(1e6 / median)) µs each (median; \(Int(rates.first!))–\(Int(rates.last!)) over \(rates.count) rounds of \(seconds) s)"
    }
}
