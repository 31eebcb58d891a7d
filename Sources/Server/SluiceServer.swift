import Broker
import KafkaWire
import LogStorage
import NIOCore
import NIOPosix
import PGWire
import SQLEngine
import SluiceCore
import StateStore
import Streams

/// The composition root of a Sluice node: the log on its data directory, consumer offsets, RocksDB state, the SQL
/// engine, and the PostgreSQL-wire listener on 127.0.0.1. `start` opens everything; `shutdown` stops the listener
/// and workers and closes the log cleanly.
public final class SluiceServer: @unchecked Sendable {
    // @unchecked: every property is set once in init/start and only read afterwards; the parts are thread-safe.
    public static let version = "0.1.0"

    public struct Configuration: Sendable {
        public var dataDirectory: String
        public var host = "127.0.0.1"
        public var postgresPort = 5433
        /// The Kafka-wire port (0 picks a free one; nil: no Kafka listener).
        public var kafkaPort: Int? = 9092
        /// The host Kafka clients are told to connect to; the listen host by default.
        public var advertisedHost: String?
        public var workers = 2
        /// Event-loop threads serving PostgreSQL- and Kafka-wire connections (Kafka's num.network.threads).
        public var eventLoops = System.coreCount
        /// PostgreSQL-wire connections served at once; more get FATAL 53300.
        public var maximumConnections = ConnectionStateMachine.Configuration.defaultMaximumConnections
        public var logDefaults = LogConfig()
        /// `name:secret` lines (password, md5 hash or SCRAM verifier); nil means trust.
        public var usersFile: String?
        public var authentication: PGAuthenticationMethod = .trust
        /// The group coordinator's settings (session-timeout bounds, initial rebalance delay).
        public var groups = GroupCoordinator.Configuration()
        /// Bytes of the state store's row cache, which answers repeated pull-query key lookups (0: none).
        public var rowCacheBytes = 32 << 20

        public init(dataDirectory: String) {
            self.dataDirectory = dataDirectory
        }

        /// What SHOW PROPERTIES lists for this server (scope SERVER), named after `sluice serve`'s options.
        var properties: [(name: String, value: String)] {
            let flush = switch logDefaults.durability {
            case .everyBatch: "every-batch"
            case .operatingSystem: "os"
            case .interval(let messages, let bytes, let milliseconds):
                [messages.map { "messages:\($0)" }, bytes.map { "bytes:\($0)" }, milliseconds.map { "interval:\($0)" }]
                    .compactMap { $0 }.joined(separator: ",")
            }
            return [("sluice.flush", flush), ("sluice.auth", authentication.rawValue),
                    ("sluice.group.initial.rebalance.delay.ms", String(groups.initialRebalanceDelayMs)),
                    ("sluice.group.min.session.timeout.ms", String(groups.minSessionTimeoutMs)),
                    ("sluice.event.loops", String(max(1, eventLoops))),
                    ("sluice.max.connections", String(max(1, maximumConnections)))]
        }
    }

    public let configuration: Configuration
    public let logs: LogManager
    public let engine: SQLEngine
    /// Kafka consumer groups and their committed offsets.
    public let coordinator: GroupCoordinator
    let group: MultiThreadedEventLoopGroup
    let cancelRegistry = PGCancelRegistry()
    private var postgresChannel: (any Channel)?
    private var kafkaChannel: (any Channel)?
    /// The Kafka listener's port once started.
    public private(set) var kafkaPort: Int?

    public init(configuration: Configuration) throws {
        self.configuration = configuration
        logs = try LogManager(dataDirectory: configuration.dataDirectory + "/log", defaultConfig: configuration.logDefaults)
        coordinator = GroupCoordinator(offsets: try ConsumerOffsetStore(logs: logs), configuration: configuration.groups)
        let store = try RocksDBStateStore(path: configuration.dataDirectory + "/state", rowCacheBytes: configuration.rowCacheBytes)
        engine = try SQLEngine(client: EmbeddedLogClient(logs: logs), store: store, workers: configuration.workers, processingLogStream: true,
                               serverProperties: configuration.properties, consumerGroups: coordinator)
        // One event loop per core by default: key lookups over PG wire run on the loops (PGSession fast paths).
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoops))
    }

    /// Binds the PostgreSQL listener; returns the port it got (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        var users = PGUserStore()
        if let file = configuration.usersFile {
            guard let bytes = try PosixFileSystem().readFile(file) else {
                throw PGError(SQLState.invalidAuthorizationSpecification, "users file \(file) does not exist")
            }
            users = try PGUserStore.parse(String(decoding: bytes, as: UTF8.self))
        }
        let pgConfiguration = PGWirePipeline.Configuration(
            connection: .init(
                authenticator: PGAuthenticator(method: configuration.authentication, users: users),
                maximumConnections: configuration.maximumConnections))
        let registry = cancelRegistry
        let engine = self.engine
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try PGWirePipeline.addHandlers(
                        to: channel.pipeline.syncOperations, configuration: pgConfiguration, registry: registry,
                        session: EngineSession(engine: engine))
                }
            }
            .bind(host: configuration.host, port: configuration.postgresPort).get()
        postgresChannel = channel
        if let port = configuration.kafkaPort { try await startKafka(port: port) }
        return channel.localAddress?.port ?? configuration.postgresPort
    }

    /// Binds the Kafka listener. With port 0 the broker advertises the port the socket got.
    private func startKafka(port: Int) async throws {
        let logs = self.logs
        let coordinator = self.coordinator
        await coordinator.start()
        let host = configuration.host
        let advertised = configuration.advertisedHost ?? host
        let portBox = PortBox()
        let wire = KafkaWireConfiguration()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let broker = KafkaBroker(
                        logs: logs, configuration: .init(advertisedHost: advertised, advertisedPort: Int32(portBox.port)), coordinator: coordinator)
                    try channel.pipeline.syncOperations.addKafkaServerHandlers(handler: broker, configuration: wire)
                }
            }
            .bind(host: host, port: port).get()
        portBox.port = channel.localAddress?.port ?? port
        kafkaChannel = channel
        kafkaPort = portBox.port
    }

    public func shutdown() async throws {
        try? await postgresChannel?.close()
        try? await kafkaChannel?.close()
        await coordinator.shutdown()
        engine.shutdown()
        try await group.shutdownGracefully()
        try logs.close()
    }

    /// A PostgreSQL-wire session on `engine`, as each accepted connection gets (for `sluice bench pgwire`).
    public static func pgSession(engine: SQLEngine) -> any PGSession { EngineSession(engine: engine) }
}

/// The Kafka listener's bound port, read by connections accepted after the bind.
final class PortBox: @unchecked Sendable {
    // @unchecked: written once before the first connection is accepted.
    var port = 0
}
