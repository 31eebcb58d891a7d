import PGCatalog
import PGWire
import Relational
import SQLEngine
import SQLPlanner
import SQLSyntax
import SluiceCore
import Synchronization

/// One PostgreSQL connection's session: PostgreSQL's own session statements (BEGIN/COMMIT, SET x TO y, SHOW x,
/// SELECT 1, version(), …) answered here; everything else goes to the SQL engine, with results mapped to PostgreSQL
/// types and errors to ErrorResponse fields (positions relative to the whole query string). PGWire never overlaps
/// calls on one session; `cancel` may come from another thread at any time.
final class EngineSession: PGSession, @unchecked Sendable {
    // @unchecked: mutable state is touched only by the connection's own (non-overlapping) calls, except the
    // cancellation flag and the running push queries, which `lock` guards.
    static let serverVersion = "15.0"
    static let serverVersionNumber = "150000"

    let engine: SQLEngine
    private var session = SessionState()
    private var settings: [String: String] = [:]
    /// The settings after start-up (its `options` and the reported parameters): RESET returns to them, as
    /// PostgreSQL's RESET returns to the session's default.
    private var startupSettings: [String: String] = [:]
    private var changes: [PGSetting] = []
    private var status: PGTransactionStatus = .idle
    private var applicationName = ""
    private var user = "sluice"
    private let lock = Lock()
    private var running: [PushQuery] = []
    /// Open cursors by name (DECLARE … CURSOR FOR).
    private var cursors: [String: Cursor] = [:]
    private let cancelled = CancelFlag()
    /// Parse results by statement text and declared parameter types. Clients that send the same Parse before
    /// every execution (pgbench -M extended, libpq's PQexecParams, pgjdbc below its prepare threshold, asyncpg's
    /// unnamed statements) then parse and plan a statement once per catalog generation, not once per execution.
    private var parsed: [ParseKey: (generation: UInt64, statement: PreparedStatement)] = [:]
    private static let parsedLimit = 64

    init(engine: SQLEngine) {
        self.engine = engine
    }

    // MARK: - PGSession

    func startup(_ info: PGStartupInfo) async throws -> [PGSetting] {
        try startupNow(info)
    }

    /// Startup only checks the database and records settings: on the event loop.
    func startupImmediately(_ info: PGStartupInfo) throws -> PGImmediate<[PGSetting]> {
        .ready(try startupNow(info))
    }

    private func startupNow(_ info: PGStartupInfo) throws -> [PGSetting] {
        guard info.database == "sluice" else {
            throw PGError(SQLState.invalidCatalogName, "database \"\(info.database)\" does not exist", severity: .fatal,
                          hint: "Sluice has one database, named sluice")
        }
        user = info.user
        // Settings are kept under lower-case names (PostgreSQL's are case-insensitive).
        for option in info.options { settings[option.name.lowercased()] = option.value }
        // `options=-c application_name=x` wins over the start-up parameter, as in PostgreSQL.
        applicationName = settings["application_name"] ?? info.parameters["application_name"] ?? ""
        var parameters = PGSetting.standardParameters(serverVersion: Self.serverVersion, serverVersionNumber: Self.serverVersionNumber,
                                                      applicationName: applicationName)
        parameters.append(PGSetting("sluice_version", SluiceServer.version))
        for parameter in parameters where settings[parameter.name.lowercased()] == nil {
            settings[parameter.name.lowercased()] = parameter.value
        }
        startupSettings = settings
        return parameters
    }

    func simpleQuery(_ sql: String) async throws -> any PGResultIterator {
        cancelled.reset()
        let pieces = StatementSplitter.split(sql)
        var statements = pieces.statements
        if let rest = pieces.remainder, !rest.text.allSatisfy(\.isWhitespace) { statements.append(rest) }
        if statements.isEmpty { return ResultList([{ (.emptyQuery, nil) }]) }
        return ResultList(statements.map { piece in
            { [self] in
                let result = try self.run(piece.text, offset: piece.start.offset, in: sql)
                // A push query without LIMIT: a notice first, then its rows (the next result of the iterator).
                if case .rows(let stream as PushRowStream, _) = result, stream.limit == nil {
                    return (.notice(Self.unboundedPushQueryNotice), result)
                }
                return (result, nil)
            }
        })
    }

    /// Sent before the rows of a push query without LIMIT in a simple query: psql (like most drivers) shows a
    /// simple query's rows only once the statement ends, which such a query never does by itself.
    static let unboundedPushQueryNotice = PGError(
        SQLState.successfulCompletion, "this push query runs until it is cancelled; its rows appear when it ends",
        severity: .notice,
        hint: "press Ctrl-C to stop it, add LIMIT n, or watch rows arrive with "
            + "COPY (SELECT … EMIT CHANGES) TO STDOUT or \\set FETCH_COUNT 1")

    /// A pull query is parsed and planned here, once (the engine's prepared pull), and each parameter the client
    /// left untyped (OID 0, as pgbench and libpq send them) takes the type of what it is compared with, as in
    /// PostgreSQL; other statements get their `$n` replaced by literals at each execution.
    func prepare(name: String, sql: String, parameterTypes: [UInt32]) async throws -> any PGPreparedStatement {
        try prepareNow(sql: sql, parameterTypes: parameterTypes)
    }

    /// Parse only parses and plans (CPU work bounded by the statement's size, no I/O): always on the event loop.
    func prepareImmediately(name: String, sql: String, parameterTypes: [UInt32]) throws -> PGImmediate<any PGPreparedStatement> {
        .ready(try prepareNow(sql: sql, parameterTypes: parameterTypes))
    }

    private func prepareNow(sql: String, parameterTypes: [UInt32]) throws -> any PGPreparedStatement {
        let key = ParseKey(sql: sql, parameterTypes: parameterTypes)
        let generation = engine.currentCatalogGeneration  // read before planning: a change meanwhile is a miss later
        if let hit = parsed[key], hit.generation == generation { return hit.statement }
        let (statement, cacheable) = try prepareUncached(sql: sql, parameterTypes: parameterTypes)
        if cacheable {
            if parsed.count >= Self.parsedLimit { parsed.removeAll(keepingCapacity: true) }
            parsed[key] = (generation, statement)
        }
        return statement
    }

    /// A prepared statement and whether it depends only on the statement and the catalog (not on session state,
    /// as constant SELECTs of session functions and catalog queries may).
    private func prepareUncached(sql: String, parameterTypes: [UInt32]) throws -> (PreparedStatement, cacheable: Bool) {
        let count = ParameterSubstitution.parameterCount(sql)
        // The wire counts parameters in 16 bits (ParameterDescription, Bind): `$70000` cannot be described.
        guard count <= Int(UInt16.max), parameterTypes.count <= Int(UInt16.max) else {
            throw PGError(SQLState.programLimitExceeded, "a statement may have at most 65535 parameters; this one uses $\(count)")
        }
        /// The client's parameter types, one per `$n`, with the unspecified ones (OID 0) filled in by `inferred`.
        func completed(_ inferred: (Int) -> UInt32) -> [UInt32] {
            var types = parameterTypes
            while types.count < count { types.append(0) }
            for i in types.indices where types[i] == 0 { types[i] = inferred(i + 1) }
            return types
        }
        if let sleep = SleepRows.sleep(in: sql) {  // pg_sleep(double precision), as PostgreSQL declares it
            return (PreparedStatement(sql: sql, parameterTypes: completed { _ in PGType.float8.oid }, columns: [sleep.column]), false)
        }
        if PGCatalog.isCatalogQuery(sql) {
            // Catalog result types do not depend on the data: describe by running it with NULL parameters.
            let columns = try catalogAnswer(sql, parameters: Array(repeating: nil, count: count)).columns
            let casts = ParameterSubstitution.castTypes(sql)
            let types = completed { casts[$0] ?? PGType.text.oid }
            return (PreparedStatement(sql: sql, parameterTypes: types, columns: columns, catalog: true), false)
        }
        let pull = count > 0 ? try? engine.preparePull(sql) : nil
        // Untyped parameters take the type of what they meet (a key, a cast), else text, as in PostgreSQL.
        let inferred = pull?.parameterTypes ?? (count > 0 ? inferParameterTypes(sql) : [:])
        let types = completed { n in inferred[n].map { PGValueMapping.type(of: $0).oid } ?? PGType.text.oid }
        var (columns, constant) = describeColumns(ParameterSubstitution.substitute(sql, values: Array(repeating: "NULL", count: count)))
        if constant, count > 0, let typed = SessionStatements.constantSelectColumns(sql, session: self) { columns = typed }
        return (PreparedStatement(sql: sql, parameterTypes: types, columns: columns, pull: pull), !constant)
    }

    /// Parameter types of a statement that is not a pull query: an INSERT's from its columns, a constant SELECT's
    /// from what they meet.
    private func inferParameterTypes(_ sql: String) -> [Int: DataType] {
        if let statement = try? Parser.parseStatement(sql), case .insertValues(let insert) = statement.kind {
            return Planner(catalog: engine.currentCatalog).insertParameterTypes(insert)
        }
        return SessionStatements.constantSelectParameterTypes(sql, session: self)
    }

    func bind(_ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]) async throws -> any PGPortal {
        try bindNow(statement, parameters: parameters)
    }

    /// Bind decodes parameters and, for catalog queries, answers from the in-memory catalog: on the event loop.
    /// Executing the portal is another matter (see `Portal.immediate`).
    func bindImmediately(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) throws -> PGImmediate<any PGPortal> {
        .ready(try bindNow(statement, parameters: parameters))
    }

    private func bindNow(_ statement: any PGPreparedStatement, parameters: [PGBindParameter]) throws -> any PGPortal {
        guard let prepared = statement as? PreparedStatement else { throw PGError(SQLState.internalError, "unknown statement") }
        if prepared.catalog {
            let texts = try parameters.map { (p) throws(PGError) -> String? in
                guard var bytes = p.value else { return nil }
                if p.format == .text { return bytes.readString(length: bytes.readableBytes) }
                return try p.cell().textValue
            }
            let answer = try catalogAnswer(prepared.sql, parameters: texts)
            return Portal(columns: prepared.columns, immediate: true) { .rows(RowList(columns: answer.columns, rows: answer.rows)) }
        }
        if let pull = prepared.pull, let values = try Self.values(parameters) {
            if let columns = prepared.columns, pull.primaryKeyLookupWidth == columns.count {
                return LookupPortal(columns: columns, engine: engine, pull: pull, parameters: values)
            }
            // A lookup of a few keys reads a few state-store entries: it runs on the event loop. A scan does not.
            return Portal(columns: prepared.columns, immediate: engine.isKeyLookup(pull, parameters: values)) { [self] in
                let result: ResultSet
                do throws(EngineError) {
                    result = try engine.execute(pull, parameters: values)
                } catch {
                    throw PGError(error)
                }
                return .rows(RowList(result, described: prepared.columns))
            }
        }
        var literals: [String] = []
        for parameter in parameters { literals.append(ParameterSubstitution.literal(try parameter.cell())) }
        let sql = ParameterSubstitution.substitute(prepared.sql, values: literals)
        return Portal(columns: prepared.columns) { [self] in
            cancelled.reset()
            return try run(sql, offset: 0, in: sql)
        }
    }

    var transactionStatus: PGTransactionStatus { status }

    func takeParameterChanges() -> [PGSetting] {
        defer { changes.removeAll() }
        return changes
    }

    func cancel() {
        cancelled.set()
        for push in lock.withLock({ running }) { push.close() }
    }

    func close() {
        cancel()
        cursors.values.forEach { $0.stream.close() }
        cursors.removeAll()
    }

    // MARK: - Statements

    /// Runs one statement of a query string; `offset` is where it starts (for error positions).
    private func run(_ text: String, offset: Int, in whole: String) throws -> PGQueryResult {
        if let sleep = SleepRows.sleep(in: text) { return .rows(SleepRows(sleep, cancelled: cancelled)) }
        if PGCatalog.isCatalogQuery(text) {
            // version(), current_database() … keep their session answers; the rest reads the emulated catalog.
            if let result = try? SessionStatements.answer(text, session: self) { return result }
            let answer = try catalogAnswer(text, parameters: [])
            return .rows(RowList(columns: answer.columns, rows: answer.rows))
        }
        do {
            if let result = try SessionStatements.answer(text, session: self) { return result }
        } catch var error as PGError {
            error.position = error.position.map { $0 + EngineErrorPosition.characters(in: whole, upToByte: offset) }
            throw error
        }
        if let cursor = try CursorStatement.parse(text) {
            return try run(cursor, offset: offset, in: whole)
        }
        if let copy = try CopyFromStdin.parse(text) {
            let columns: [String]
            do {
                columns = try engine.copyColumns(copy.source, copy.columns)
            } catch {
                throw PGError(error.sqlState, error.message, hint: error.hint)
            }
            return .copyIn(CopyInSink(engine: engine, copy: copy, columns: columns), columnCount: columns.count, format: copy.csv ? .csv : .text)
        }
        if let inner = SessionStatements.copyToStdout(text) {
            guard case .push(let push) = try execute(inner.query, offset: offset + inner.offset, in: whole) else {
                throw PGError(SQLState.featureNotSupported, "COPY (…) TO STDOUT streams push queries (… EMIT CHANGES)")
            }
            return .copyOut(track(push), format: .text)
        }
        switch try execute(text, offset: offset, in: whole) {
        case .command(let tag, _): return .command(tag: tag)
        case .rows(let result): return .rows(RowList(result))
        case .push(let push): return .rows(track(push))
        }
    }

    private func run(_ cursor: CursorStatement, offset: Int, in whole: String) throws -> PGQueryResult {
        switch cursor {
        case .declare(let name, let query, let queryOffset):
            if cursors[name] != nil { throw PGError(SQLState.duplicateCursor, "cursor \"\(name)\" already exists") }
            let stream: any PGRowStream
            switch try execute(query, offset: offset + queryOffset, in: whole) {
            case .push(let push): stream = track(push)
            case .rows(let result): stream = RowList(result)
            case .command: throw PGError(SQLState.featureNotSupported, "a cursor is declared for a query, not a command")
            }
            cursors[name] = Cursor(stream)
            return .command(tag: "DECLARE CURSOR")
        case .fetch(let name, let count, let timeout):
            guard let cursor = cursors[name] else { throw PGError(SQLState.invalidCursorName, "cursor \"\(name)\" does not exist") }
            return .rows(FetchRows(cursor: cursor, limit: count, timeoutMilliseconds: timeout), verb: "FETCH")
        case .close(let name):
            if let name {
                guard let stream = cursors.removeValue(forKey: name) else {
                    throw PGError(SQLState.invalidCursorName, "cursor \"\(name)\" does not exist")
                }
                stream.stream.close()
            } else {
                cursors.values.forEach { $0.stream.close() }
                cursors.removeAll()
            }
            return .command(tag: "CLOSE CURSOR")
        }
    }

    private func execute(_ text: String, offset: Int, in whole: String) throws -> StatementResult {
        do {
            guard let result = try engine.execute(text, session: &session).last else { return .command(tag: "EMPTY", message: nil) }
            return result
        } catch {
            let prefix = EngineErrorPosition.characters(in: whole, upToByte: offset)
            throw PGError(error, positionOffset: prefix)
        }
    }

    private func track(_ push: PushQuery) -> PushRowStream {
        lock.withLock { running.append(push) }
        return PushRowStream(push: push, cancelled: cancelled) { [weak self] in
            self?.lock.withLock { self?.running.removeAll { $0 === push } }
        }
    }

    /// The result columns of a statement, from its plan (for Describe before execution; nil for commands), and
    /// whether it is a constant SELECT (answered from the session).
    private func describeColumns(_ sql: String) -> ([PGColumn]?, constant: Bool) {
        if sql.prefix(while: { !$0.isWhitespace }).uppercased() == "SHOW",
            case .rows(let stream, _)? = try? SessionStatements.answer(sql, session: self)
        {
            return (stream.columns, false)  // SHOW of a session setting
        }
        guard let statement = try? Parser.parseStatement(sql) else { return (nil, false) }
        switch statement.kind {
        case .show, .describe, .explain:
            // Their columns are known only by running them; they read and change nothing, so Describe runs them
            // on a copy of the session's state (RowDescription must precede their DataRows).
            var scratch = session
            if case .rows(let result)? = try? engine.execute(sql, session: &scratch).last {
                return (result.columns.map(PGValueMapping.column), false)
            }
            return (nil, false)
        case .printTopic:
            return (SQLEngine.printColumns.map(PGValueMapping.column), false)
        default:
            break
        }
        if case .query(let query) = statement.kind, SessionStatements.isConstantSelect(query) {
            return ((try? SessionStatements.constantSelect(query, session: self))?.columns, true)
        }
        switch try? Planner(catalog: engine.currentCatalog).plan(statement) {
        case .pushQuery(let plan)?, .pullQuery(let plan)?:
            return (plan.schema.columns.filter { $0.role != .pseudo }.map(PGValueMapping.column), false)
        default:
            return (nil, false)
        }
    }

    private func catalogAnswer(_ sql: String, parameters: [String?]) throws -> (columns: [PGColumn], rows: [[PGCell]]) {
        try CatalogQueries.answer(sql, parameters: parameters, catalog: engine.currentCatalog, user: user, settings: settings)
    }

    // MARK: - Session settings (used by SessionStatements)

    func setting(_ name: String) -> String? { settings[name.lowercased()] }

    func set(_ name: String, _ value: String?) {
        let key = name.lowercased()
        settings[key] = value
        if let reported = Self.reportedParameters[key], let value { changes.append(PGSetting(reported, value)) }
    }

    /// The settings a change of which is reported to the client (ParameterStatus), by lower-case name, spelt as
    /// PostgreSQL reports them (drivers look them up case-sensitively).
    static let reportedParameters = [
        "application_name": "application_name", "timezone": "TimeZone", "datestyle": "DateStyle",
        "client_encoding": "client_encoding", "intervalstyle": "IntervalStyle",
    ]

    /// RESET name (nil: RESET ALL): back to the value the session started with, or to none.
    func reset(_ name: String?) {
        let names = name.map { [$0.lowercased()] } ?? settings.keys.sorted()
        for name in names where settings[name] != startupSettings[name] { set(name, startupSettings[name]) }
    }

    func setTransaction(_ status: PGTransactionStatus) { self.status = status }

    /// A dotted name (`auto.offset.reset`, like PostgreSQL's custom `app.x` settings) set, shown or reset the
    /// PostgreSQL way is a ksqlDB session property: the same one `SET 'auto.offset.reset' = 'earliest'` changes.
    static func isEngineProperty(_ name: String) -> Bool { name.contains(".") }

    func property(_ name: String) -> String? {
        session.properties[name] ?? SessionState.knownProperties.first { $0.name == name }?.defaultValue
            ?? engine.serverProperties.first { $0.name == name }?.value
    }

    func setProperty(_ name: String, _ value: String?) { session.properties[name] = value }

    /// DEFINE's variables, for `${name}` in what the session answers itself.
    var variables: [String: String] { session.variables }

    /// RESET ALL: the ksqlDB properties too.
    func resetProperties() { session.properties = [:] }

    var isPsql: Bool { applicationName == "psql" }
}

/// Character positions of byte offsets (PostgreSQL error positions count characters, 1-based).
enum EngineErrorPosition {
    static func characters(in text: String, upToByte offset: Int) -> Int {
        text.utf8.prefix(max(0, offset)).reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }
}

/// Results of a simple query, produced one statement at a time.
/// A statement may produce two results: a notice, then the statement's own result.
final class ResultList: PGResultIterator, @unchecked Sendable {
    // @unchecked: PGWire calls `next` from one task at a time.
    private var pending: [() throws -> (PGQueryResult, then: PGQueryResult?)]
    private var queued: PGQueryResult?

    init(_ pending: [() throws -> (PGQueryResult, then: PGQueryResult?)]) { self.pending = pending }

    func next() async throws -> PGQueryResult? {
        if let queued = queued.take() { return queued }
        guard !pending.isEmpty else { return nil }
        let (result, then) = try pending.removeFirst()()
        queued = then
        return result
    }
}

private struct ParseKey: Hashable {
    let sql: String
    let parameterTypes: [UInt32]
}

final class PreparedStatement: PGPreparedStatement, @unchecked Sendable {
    // @unchecked: immutable after init.
    let sql: String
    let parameterTypes: [UInt32]
    let columns: [PGColumn]?
    /// The planned pull query, when the statement is one.
    let pull: PreparedPull?
    /// A query over the emulated pg_catalog / information_schema.
    let catalog: Bool

    init(sql: String, parameterTypes: [UInt32], columns: [PGColumn]?, pull: PreparedPull? = nil, catalog: Bool = false) {
        self.sql = sql
        self.parameterTypes = parameterTypes
        self.columns = columns
        self.pull = pull
        self.catalog = catalog
    }
}

final class Portal: PGPortal, @unchecked Sendable {
    // @unchecked: immutable after init; executed once by PGWire.
    let columns: [PGColumn]?
    /// Whether the body finishes in microseconds without blocking (a key lookup, a catalog answer already made).
    let immediate: Bool
    private let body: () throws -> PGQueryResult

    init(columns: [PGColumn]?, immediate: Bool = false, body: @escaping () throws -> PGQueryResult) {
        self.columns = columns
        self.immediate = immediate
        self.body = body
    }

    func execute() async throws -> PGQueryResult { try body() }

    func executeImmediately() throws -> PGImmediate<PGQueryResult> {
        immediate ? .ready(try body()) : .wouldBlock
    }
}

/// A prepared lookup by primary key (`SELECT … FROM table WHERE key = $1`, pgbench's and most ORMs' query): one
/// state-store get on the event loop, its row turned straight into cells. No closure, no result set.
final class LookupPortal: PGPortal, @unchecked Sendable {
    // @unchecked: immutable after init; executed once by PGWire.
    /// The statement's columns as Describe reported them.
    private let described: [PGColumn]
    var columns: [PGColumn]? { described }
    private let engine: SQLEngine
    private let pull: PreparedPull
    private let parameters: [Value]

    init(columns: [PGColumn], engine: SQLEngine, pull: PreparedPull, parameters: [Value]) {
        self.described = columns
        self.engine = engine
        self.pull = pull
        self.parameters = parameters
    }

    func execute() async throws -> PGQueryResult { try run() }

    func executeImmediately() throws -> PGImmediate<PGQueryResult> { .ready(try run()) }

    private func run() throws(PGError) -> PGQueryResult {
        let row: LookupRow?
        do throws(EngineError) {
            row = try engine.lookupRow(pull, parameters: parameters)
        } catch {
            throw PGError(error)
        }
        guard let row else { return .rows(RowList(columns: described, width: described.count, cells: [])) }
        var cells: [PGCell] = []
        cells.reserveCapacity(row.count)
        for i in 0..<row.count { cells.append(PGValueMapping.cell(row[i], row.type(i))) }
        return .rows(RowList(columns: described, width: row.count, cells: cells))
    }
}

/// A finite result as a row stream. The rows are kept row-major in one array, which is handed out whole, as the
/// last batch, when the client takes them all (a key lookup's one row): no copy, and no second pull to learn that
/// the stream ended.
final class RowList: PGRowStream, @unchecked Sendable {
    // @unchecked: PGWire pulls from one task at a time.
    let columns: [PGColumn]
    private var cells: [PGCell]
    private let width: Int
    private let rowCount: Int
    private var sent = 0

    /// `described`: the statement's columns as Describe reported them, when at hand (a prepared pull runs many
    /// times; its columns need not be mapped again each time).
    init(_ result: ResultSet, described: [PGColumn]? = nil) {
        if let described, described.count == result.columns.count {
            columns = described
        } else {
            columns = result.columns.map(PGValueMapping.column)
        }
        width = result.columns.count
        rowCount = result.rows.count
        var cells: [PGCell] = []
        cells.reserveCapacity(rowCount * width)
        // By index: zipping with the columns would copy each Column (its name and type retained) per row.
        for row in result.rows {
            for i in 0..<min(row.count, width) { cells.append(PGValueMapping.cell(row[i], result.columns[i].type)) }
        }
        self.cells = cells
    }

    /// Rows already as cells, row-major, `width` per row.
    init(columns: [PGColumn], width: Int, cells: [PGCell]) {
        precondition(width > 0 ? cells.count % width == 0 : cells.isEmpty, "ragged rows")
        self.columns = columns
        self.width = width
        rowCount = width == 0 ? 0 : cells.count / width
        self.cells = cells
    }

    init(columns: [PGColumn], rows: [[PGCell]]) {
        self.columns = columns
        width = rows.first?.count ?? 0
        rowCount = rows.count
        cells = rows.flatMap { $0 }
    }

    func next(maxRows: Int) async throws -> PGRowBatch? { take(maxRows) }

    /// The rows are in memory: always at hand.
    func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?> { .ready(take(maxRows)) }

    private func take(_ maxRows: Int) -> PGRowBatch? {
        guard sent < rowCount else { return nil }
        let end = min(rowCount, sent + max(maxRows, 1))
        var batch: PGRowBatch
        if sent == 0, end == rowCount {
            batch = PGRowBatch(columnCount: width, cells: cells)
            cells = []
        } else {
            batch = PGRowBatch(columnCount: width, cells: Array(cells[sent * width..<end * width]))
        }
        sent = end
        batch.isLast = sent == rowCount
        return batch
    }

    func close() {
        cells = []
        sent = rowCount
    }
}

/// A push query's rows as they arrive; `next` waits until at least one row is ready, the query ends, or the client
/// cancels (57014).
final class PushRowStream: TimedRowStream, @unchecked Sendable {
    // @unchecked: PGWire pulls from one task at a time; `push` is thread-safe.
    let columns: [PGColumn]
    private let push: PushQuery
    private let types: [DataType]
    private let cancelled: CancelFlag
    private let onClose: @Sendable () -> Void
    /// Rows the query delivered beyond the last call's maxRows.
    private var pending: ArraySlice<[Value]> = []
    var limit: Int64? { push.limit }

    init(push: PushQuery, cancelled: CancelFlag, onClose: @escaping @Sendable () -> Void) {
        self.push = push
        self.columns = push.columns.map(PGValueMapping.column)
        self.types = push.columns.map(\.type)
        self.cancelled = cancelled
        self.onClose = onClose
    }

    func next(maxRows: Int) async throws -> PGRowBatch? {
        try await next(maxRows: maxRows, timeoutMilliseconds: nil)
    }

    func next(maxRows: Int, timeoutMilliseconds: Int) async throws -> PGRowBatch? {
        try await next(maxRows: maxRows, timeoutMilliseconds: Optional(timeoutMilliseconds))
    }

    /// Rows the query has already delivered are at hand; waiting for more is not.
    func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?> {
        if !pending.isEmpty { return .ready(batch(maxRows)) }
        if cancelled.isSet { return .wouldBlock }  // the async path reports the cancel
        let rows: [[Value]]?
        do {
            rows = try push.poll()
        } catch {
            throw PGError(error.sqlState, error.message, hint: error.hint)
        }
        guard let rows else {
            close()
            return .ready(nil)
        }
        if rows.isEmpty { return .wouldBlock }
        pending = rows[...]
        return .ready(batch(maxRows))
    }

    /// Waits for rows (forever, or up to `timeoutMilliseconds`, then an empty batch); nil when the query ended.
    /// At most `maxRows` rows: the rest of what the query delivered waits in `pending` for the next call (a portal
    /// with max_rows or a FETCH n must not lose them).
    private func next(maxRows: Int, timeoutMilliseconds: Int?) async throws -> PGRowBatch? {
        if !pending.isEmpty { return batch(maxRows) }
        var waited = 0
        while true {
            if cancelled.isSet {
                close()
                throw PGError.queryCanceled
            }
            let slice = min(100, max(0, (timeoutMilliseconds ?? 100) - waited))
            let rows: [[Value]]?
            do {
                rows = try push.next(timeoutMilliseconds: slice)
            } catch {
                throw PGError(error.sqlState, error.message, hint: error.hint)
            }
            guard let rows else {
                close()
                return nil
            }
            if rows.isEmpty {
                waited += slice
                if let timeoutMilliseconds, waited >= timeoutMilliseconds { return PGRowBatch(columnCount: columns.count) }
                await Task.yield()
                continue
            }
            pending = rows[...]
            return batch(maxRows)
        }
    }

    /// The first `maxRows` pending rows as PostgreSQL cells.
    private func batch(_ maxRows: Int) -> PGRowBatch {
        let take = pending.prefix(max(1, maxRows))
        pending = pending.dropFirst(take.count)
        return PGRowBatch(rows: take.map { row in zip(row, types).map { PGValueMapping.cell($0, $1) } })
    }

    func close() {
        push.close()
        onClose()
    }
}

/// A cancellation flag shared between a session and its row streams.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    func reset() { value.store(false, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

extension EngineSession {
    /// Bound parameters as engine values, for a prepared pull; nil when one has a type the pull path does not take
    /// (the statement then runs with literals instead).
    static func values(_ parameters: [PGBindParameter]) throws -> [Value]? {
        var values: [Value] = []
        values.reserveCapacity(parameters.count)
        for parameter in parameters {
            switch try parameter.cell() {
            case .null: values.append(.null)
            case .bool(let b): values.append(.boolean(b))
            case .int2(let v): values.append(.int(Int32(v)))
            case .int4(let v): values.append(.int(v))
            case .int8(let v): values.append(.bigint(v))
            case .float4(let v): values.append(.double(Double(v)))
            case .float8(let v): values.append(.double(v))
            case .text(let v): values.append(.string(v))
            default: return nil
            }
        }
        return values
    }
}

extension PGError {
    /// An engine error as the client sees it: SQLSTATE, message, detail and hint, and the error position (1-based,
    /// in characters) moved by `positionOffset` when the statement starts further into the query string.
    init(_ error: EngineError, positionOffset: Int = 0) {
        self.init(error.sqlState, error.message, detail: error.detail, hint: error.hint,
                  position: error.position.map { $0 + positionOffset })
    }
}
