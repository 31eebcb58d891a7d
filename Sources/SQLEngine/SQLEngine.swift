import Broker
import Relational
import SQLPlanner
import SQLSyntax
import SluiceCore
import StateStore
import Streams

/// Runs Sluice's SQL: DDL kept in an internal command topic and replayed at start, persistent queries as tasks on one
/// shared scheduler, push queries streamed to their client, pull queries answered from tables materialized in
/// RocksDB. Session-agnostic: callers (the PostgreSQL endpoint, tests, tools) pass their `SessionState`.
/// Thread-safe: statements that change the catalog run one at a time.
public final class SQLEngine: @unchecked Sendable {
    // @unchecked: `catalog`, `queries`, `materialized`, `pushCounter` and `pushQueries` are only touched with
    // `lock` held; the rest is immutable or thread-safe itself.
    public static let commandTopic = "__sluice_commands"
    public static let processingLogTopic = "KSQL_PROCESSING_LOG"

    let client: any LogClient
    let store: any StateStore
    public let functions: ScalarFunctionLibrary
    let scheduler: TaskScheduler
    let processingLog: any ProcessingLog
    let clock: any Clock
    let lock = Lock()
    var catalog = Catalog() {
        didSet { catalogGeneration &+= 1 }
    }
    /// Counts catalog changes (any mutation of `catalog` bumps it), so a plan made against one generation can be
    /// reused while the generation is unchanged.
    var catalogGeneration: UInt64 = 0
    var queries: [String: PersistentQuery] = [:]
    /// Tables materialized for pull queries, by name.
    var materialized: Set<String> = []
    var pushCounter = 0
    /// Running push queries (transient, as ksqlDB calls them), for SHOW QUERIES and TERMINATE.
    var pushQueries: [(query: PushQuery, statement: String)] = []
    /// Set while replaying the command topic: statements are applied but not written again.
    var replaying = false
    /// During replay, the id the command topic recorded for the query being restarted.
    var replayQueryID: String?
    /// While replaying: the queries a later command of the log terminates (they are not started again).
    var terminatedLater: Set<String> = []
    /// Every query id the command topic has recorded: a QUERY_ID is never reused, since replay tells queries apart
    /// by id (a TERMINATE of one would stop its namesake) and state and internal topics are named after it.
    var usedQueryIDs: Set<String> = []
    /// While replaying: the tables to materialize once the replay is over, by name (see `materialize`).
    var pendingMaterializations: [String: SourceDescription] = [:]
    /// Held while a statement that changes the catalog or the running queries runs, so that they run one at a
    /// time: a query id is chosen, recorded and started, or a source read, changed and written back, unseen by
    /// another such statement. `lock` guards the state itself, briefly.
    let ddlLock = Lock()
    /// Where SHOW CONSUMER GROUPS reads Kafka consumer groups (the server's group coordinator); none by default.
    public let consumerGroups: (any ConsumerGroupSource)?
    /// Settings fixed when the server started, as SHOW PROPERTIES lists them (scope SERVER): the engine's own
    /// (workers, the commit interval and cache size of stateful tasks), then what the embedding server adds.
    public let serverProperties: [(name: String, value: String)]

    public convenience init(
        client: any LogClient, store: any StateStore, functions: ScalarFunctionLibrary = .builtIn, workers: Int = 2,
        processingLog: any ProcessingLog = MemoryProcessingLog(), clock: any Clock = SystemClock()
    ) throws {
        try self.init(client: client, store: store, functions: functions, workers: workers, processingLog: processingLog, clock: clock,
                      processingLogStream: false)
    }

    /// With `processingLogStream`, bad records are written to the KSQL_PROCESSING_LOG topic and the engine declares
    /// the KSQL_PROCESSING_LOG stream over it (as ksqlDB does with ksql.logging.processing.stream.auto.create), so
    /// users can query them; `processingLog` is then not used. `serverProperties` are the embedding server's
    /// settings for SHOW PROPERTIES (`sluice.flush`, `sluice.auth`, …); `consumerGroups` backs SHOW CONSUMER GROUPS.
    public init(
        client: any LogClient, store: any StateStore, functions: ScalarFunctionLibrary = .builtIn, workers: Int = 2,
        processingLog: any ProcessingLog = MemoryProcessingLog(), clock: any Clock = SystemClock(), processingLogStream: Bool,
        serverProperties: [(name: String, value: String)] = [], consumerGroups: (any ConsumerGroupSource)? = nil
    ) throws {
        self.consumerGroups = consumerGroups
        self.serverProperties = [
            ("sluice.workers", String(workers)),
            ("sluice.commit.interval.ms", String(QueryTask.defaultFlushIntervalMilliseconds)),
            ("sluice.cache.max.keys", String(QueryTask.defaultFlushStateCount)),
        ] + serverProperties
        self.client = client
        self.store = store
        self.functions = functions
        self.processingLog = processingLogStream ? try TopicProcessingLog(client: client, clock: clock) : processingLog
        self.clock = clock
        let failures = FailureSink()
        scheduler = TaskScheduler(workers: workers, client: client, onFailure: { group, error in failures.report(group, error) })
        failures.engine = self
        try client.ensureTopic(Self.commandTopic, partitions: 1, config: ["retention.ms": "-1"])
        try replayCommands()
        if processingLogStream && catalog.sources[TopicProcessingLog.topic] == nil {
            var session = SessionState()
            _ = try execute(TopicProcessingLog.createStatement, session: &session)
        }
    }

    public func shutdown() { scheduler.shutdown() }

    /// Runs every statement of `sql` in order, stopping at the first error.
    public func execute(_ sql: String, session: inout SessionState) throws(EngineError) -> [StatementResult] {
        let substitution: VariableSubstitution.Substitution
        do {
            substitution = try VariableSubstitution.substituteTracking(sql, variables: session.variables)
        } catch {
            throw EngineError.syntax(error, in: sql)  // the position and hint as fields, for psql's caret and HINT
        }
        let text = substitution.text
        let statements: [Statement]
        do {
            statements = try Parser.parse(text)
        } catch {
            throw EngineError.syntax(error, in: text).remapped(substitution, original: sql)
        }
        var results: [StatementResult] = []
        for statement in statements {
            do {
                results.append(try execute(statement, sql: text, session: &session))
            } catch {
                throw error.remapped(substitution, original: sql)
            }
        }
        return results
    }

    /// Runs one parsed statement; `sql` is the text its spans point into.
    public func execute(_ statement: Statement, sql: String, session: inout SessionState) throws(EngineError) -> StatementResult {
        do {
            if Self.changesCatalog(statement) {
                return try ddlLock.withLock { try dispatch(statement, sql: sql, session: &session) }
            }
            return try dispatch(statement, sql: sql, session: &session)
        } catch let error as PlanError {
            throw EngineError.plan(error, in: sql)
        } catch {
            throw EngineError.from(error)
        }
    }

    /// Statements that change the catalog or start and stop persistent queries (run under `ddlLock`).
    static func changesCatalog(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .createSource, .createAsSelect, .insertSelect, .alterSource, .dropSource, .createType, .dropType, .terminate,
            .pause, .resume:
            true
        default:
            false
        }
    }

    private func dispatch(_ statement: Statement, sql: String, session: inout SessionState) throws -> StatementResult {
        switch statement.kind {
        case .setProperty(let name, let value):
            session.properties[name] = value
            return .command(tag: "SET", message: nil)
        case .unsetProperty(let name):
            session.properties[name] = nil
            return .command(tag: "RESET", message: nil)
        case .define(let name, let value):
            session.variables[name.value] = value
            return .command(tag: "DEFINE", message: nil)
        case .undefine(let name):
            session.variables[name.value] = nil
            return .command(tag: "UNDEFINE", message: nil)
        case .show(let show): return .rows(try self.show(show, session: session))
        case .describe(let describe): return .rows(try self.describe(describe))
        case .terminate(let target): return try terminate(target)
        case .pause(let target): return try setPaused(target, true)
        case .resume(let target): return try setPaused(target, false)
        case .dropSource(let drop): return try dropSource(drop, statement: statement)
        case .dropType(let drop): return try dropType(drop, statement: statement)
        case .explain(let explain): return .rows(try self.explain(explain))
        case .assertValues(let assertion): return try assertValues(assertion, session: &session)
        case .assertSource(let assertion): return try assertSource(assertion)
        case .assertTopic(let assertion): return try assertTopic(assertion)
        case .printTopic(let print): return .push(try startPrint(print, statement: statement))
        case .alterSource(let alter): return try alterSource(alter, statement: statement)
        default:
            let planned = try lock.withLock { try Planner(catalog: catalog).plan(statement) }
            return try run(planned, statement: statement, session: session)
        }
    }

    private func run(_ planned: PlannedStatement, statement: Statement, session: SessionState) throws -> StatementResult {
        switch planned {
        case .createSource(let source, let orReplace, let ifNotExists):
            return try createSource(source, orReplace: orReplace, ifNotExists: ifNotExists, statement: statement)
        case .createAsSelect(let sink, let plan, let orReplace, let ifNotExists):
            return try createAsSelect(sink, plan, orReplace: orReplace, ifNotExists: ifNotExists, statement: statement)
        case .insertSelect(let target, let plan):
            return try insertSelect(target, plan, statement: statement)
        case .insertValues(let target, let rows):
            return try insertValues(target, rows)
        case .delete(let target, let predicate):
            return try delete(target, predicate)
        case .pushQuery(let plan):
            return .push(try startPushQuery(plan, statement: statement, session: session))
        case .pullQuery(let plan):
            return .rows(try pull(plan))
        case .createType(let name, let type, let ifNotExists):
            return try createType(name, type, ifNotExists: ifNotExists, statement: statement)
        case .explain(let text):
            return .rows(.text("QUERY PLAN", lines: text.split(separator: "\n").map(String.init)))
        case .command(let statement):
            throw EngineError.notSupported("\(Unparser.sql(statement)) is not supported yet")
        }
    }

    /// The catalog as it is now (for pg_catalog emulation and tools).
    public var currentCatalog: Catalog { lock.withLock { catalog } }
    /// Changes whenever the catalog changes (DDL, CREATE TYPE, a new sink): plans cached against an older value
    /// may name dropped or redefined sources and must be made again.
    public var currentCatalogGeneration: UInt64 { lock.withLock { catalogGeneration } }
    public var runningQueries: [PersistentQuery] { lock.withLock { queries.values.sorted { $0.id < $1.id } } }
}

/// Forwards scheduler failures to the engine (set after init, since the scheduler is created first).
final class FailureSink: @unchecked Sendable {
    // @unchecked: `engine` is set once during SQLEngine.init, before any task runs.
    weak var engine: SQLEngine?

    func report(_ group: String, _ error: any Error) {
        engine?.queryFailed(group, error)
    }
}
