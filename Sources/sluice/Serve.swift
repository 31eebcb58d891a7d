import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import PGWire
import Server
import SluiceCore
import Synchronization

/// Set by SIGINT/SIGTERM; the serve loop polls it.
private let stopRequested = Atomic<Bool>(false)

/// `sluice serve`: runs a single node on its data directory.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Sluice node: the log, the SQL engine, and the PostgreSQL-wire listener.",
        discussion: "Opens the data directory (recovering every partition after an unclean stop), replays the SQL catalog and restarts persistent queries, listens for PostgreSQL clients (psql -h 127.0.0.1 -p 5433 -d sluice) and Kafka clients (kcat -b 127.0.0.1:9092 -L), and runs flushing, retention, compaction and checkpoints until SIGINT or SIGTERM, then shuts down cleanly.")
    @OptionGroup var options: DataDirectoryOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "PostgreSQL-wire port (0 picks a free one).") var pgPort = 5433
    @Option(parsing: .unconditional, help: "Kafka-wire port (0 picks a free one, -1 turns the listener off).") var kafkaPort = 9092
    @Option(help: "Host Kafka clients are told to connect to (default: --host).") var advertisedHost: String?
    @Option(help: "Worker threads running query tasks.") var workers = 2
    @Option(help: "Network threads (event loops) serving client connections (default: one per core).")
    var eventLoops: Int?
    @Option(help: "File of name:secret lines (password, md5 hash or SCRAM-SHA-256 verifier); without it, any user is trusted.")
    var usersFile: String?
    @Option(help: """
        Password check for the users of --users-file: scram-sha-256, md5 or password. trust lets every client in: \
        the default without --users-file, on a loopback --host only.
        """)
    var auth = "scram-sha-256"
    @Option(help: "Durability of appends: every-batch (fsync before acknowledging), interval:<ms>, or os (the kernel decides, Kafka's default).")
    var flush = "os"
    @Option(help: "Kafka's group.initial.rebalance.delay.ms: how long an empty consumer group's first rebalance waits for more members.")
    var groupInitialRebalanceDelayMs: Int32 = 3_000
    @Option(help: "Kafka's group.min.session.timeout.ms: consumers asking for a shorter session timeout are refused.")
    var groupMinSessionTimeoutMs: Int32 = 6_000
    @Option(help: "Seconds between maintenance passes (flush, retention, compaction, checkpoints).") var maintenanceInterval = 5.0
    @Option(help: "MiB of the cache of table rows that pull queries by key read (0 turns it off).") var rowCacheMb = 32
    @Option(help: "PostgreSQL-wire connections served at once (max_connections); more get 53300.")
    var maxConnections = ConnectionStateMachine.Configuration.defaultMaximumConnections
    @Flag(help: "Shut down cleanly when the process that started this one exits (test harnesses, wrapper scripts).")
    var stopWithParent = false

    func run() async throws {
        // Read first: a parent that exits while the node starts is still noticed.
        let parent = getppid()
        var configuration = SluiceServer.Configuration(dataDirectory: options.dataDir)
        configuration.host = host
        configuration.postgresPort = pgPort
        configuration.kafkaPort = kafkaPort < 0 ? nil : kafkaPort
        configuration.advertisedHost = advertisedHost
        configuration.workers = workers
        if let eventLoops {
            guard eventLoops >= 1, eventLoops <= 1024 else {
                throw ValidationError("--event-loops takes 1 to 1024, not \(eventLoops)")
            }
            configuration.eventLoops = eventLoops
        }
        guard maxConnections >= 1 else {
            throw ValidationError("--max-connections takes 1 or more, not \(maxConnections)")
        }
        configuration.maximumConnections = maxConnections
        Self.raiseOpenFileLimit()
        configuration.groups.initialRebalanceDelayMs = groupInitialRebalanceDelayMs
        configuration.groups.minSessionTimeoutMs = groupMinSessionTimeoutMs
        configuration.logDefaults.durability = try Self.durability(flush)
        guard rowCacheMb >= 0, rowCacheMb <= 1 << 18 else { throw ValidationError("--row-cache-mb takes 0 to 262144 (256 GiB), not \(rowCacheMb)") }
        configuration.rowCacheBytes = rowCacheMb << 20
        let method: PGAuthenticationMethod
        switch auth {
        case "scram-sha-256": method = .scramSHA256
        case "md5": method = .md5
        case "password": method = .password
        case "trust": method = .trust
        default: throw ValidationError("--auth takes scram-sha-256, md5, password or trust, not '\(auth)'")
        }
        if let usersFile, method != .trust {
            configuration.usersFile = usersFile
            configuration.authentication = method
        } else if method != .trust, !Self.isLoopback(host) {
            // Trust (any user, no password) is the default on loopback only: elsewhere it must be asked for.
            throw ValidationError(
                "without --users-file every client is trusted, and \(host) is not a loopback address: "
                    + "give --users-file, or --auth trust to trust every client anyway")
        }
        let started = SystemClock().monotonicNanoseconds()
        let server: SluiceServer
        let port: Int
        do {
            server = try SluiceServer(configuration: configuration)
            port = try await server.start()
        } catch let error as LogError {
            printError("sluice: \(error.message) [\(error.code.rawValue)]")
            throw ExitCode.failure
        } catch {
            printError("sluice: cannot start: \(error)")
            throw ExitCode.failure
        }
        let elapsed = Double(SystemClock().monotonicNanoseconds() - started) / 1e9
        let catalog = server.engine.currentCatalog
        print("sluice \(SluiceVersion.string): data directory \(options.dataDir), \(catalog.sources.count) stream(s)/table(s), \(server.engine.runningQueries.count) persistent query(ies); started in \(formatSeconds(elapsed)) after \(server.logs.openedAfterCleanShutdown ? "a clean shutdown" : "an unclean stop or first start (recovery scan)")")
        if let kafka = server.kafkaPort { print("sluice: Kafka wire on \(host):\(kafka) (kcat -b \(host):\(kafka) -L)") }
        print("sluice: PostgreSQL wire on \(host):\(port) (psql -h \(host) -p \(port) -d sluice). Stop with Ctrl-C.")
        fflush(stdout)
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
        var nextMaintenance = SystemClock().monotonicNanoseconds()
        while !stopRequested.load(ordering: .relaxed) {
            if stopWithParent && getppid() != parent {
                // Orphaned (re-parented to init or a subreaper): the harness that owned this node is gone.
                printError("sluice: the process that started this node (pid \(parent)) exited; shutting down")
                break
            }
            if SystemClock().monotonicNanoseconds() >= nextMaintenance {
                do { try server.logs.runMaintenance() } catch { printError("sluice: maintenance: \(error)") }
                nextMaintenance += UInt64(maintenanceInterval * 1e9)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await server.shutdown()
        print("sluice: shut down cleanly")
    }

    /// Every connection, log segment and RocksDB file takes a descriptor, and many systems start processes with a
    /// soft limit of 1,024: raise it to the hard limit, as a server expecting thousands of clients must.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func durability(_ text: String) throws -> DurabilityPolicy {
        if text == "every-batch" { return .everyBatch }
        if text == "os" { return .operatingSystem }
        if text.hasPrefix("interval:"), let ms = Int64(text.dropFirst("interval:".count)), ms > 0 {
            return .interval(messages: nil, bytes: nil, milliseconds: ms)
        }
        throw ValidationError("--flush takes every-batch, interval:<ms> or os, not '\(text)'")
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return ms < 1000 ? "\(ms) ms" : "\(ms / 1000).\(String(ms % 1000 / 10).leftPadded(2)) s"
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
