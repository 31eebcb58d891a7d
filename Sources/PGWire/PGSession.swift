import NIOCore

/// What PGWire needs from the SQL side: one object per client connection, created by the factory given
/// to `PGWirePipeline`. PGWire owns the protocol (framing, authentication, statement/portal names,
/// formats, RowDescription/DataRow/CommandComplete ordering, PortalSuspended, COPY sub-protocol, errors);
/// the session owns SQL meaning. Calls are per statement, never per row: rows come in batches from
/// `PGRowStream`s, which PGWire pulls only while the channel is writable, so an endless push query
/// streams with bounded memory.
///
/// Thread-safety: PGWire makes at most one session call at a time (calls and row-stream pulls do not
/// overlap), except `cancel()`, which arrives from another connection's event loop at any time, and
/// `close()`, which comes when the client disconnects, possibly while a call or `next(maxRows:)` is still
/// running: that call should then end soon (return or throw); its outcome is discarded.
/// `transactionStatus` is read on the event loop between calls. Errors thrown should be `PGError`;
/// anything else is reported as XX000 ("internal error"), which is a bug to fix in the adapter.
///
/// Fast paths: a call runs in a Task and its outcome hops back to the event loop, two thread wake-ups that cost
/// more than a key lookup. Work that finishes in microseconds without blocking (no waiting, no writes, at most a
/// few state-store reads) can instead be done on the event loop: PGWire first calls the synchronous
/// `…Immediately` variant of startup, Parse, Bind, Execute and row pulls, and the async one only when that answers
/// `.wouldBlock`. The defaults always answer `.wouldBlock`. Anything that may take long (a scan, an append, a
/// push query's wait) must answer `.wouldBlock`: it would stall every connection on that event loop.
public protocol PGSession: AnyObject, Sendable {
    /// After authentication. Returns the ParameterStatus values to report (server_version, client_encoding,
    /// DateStyle, …); throw a FATAL `PGError` (e.g. 3D000 for an unknown database) to refuse the connection.
    func startup(_ info: PGStartupInfo) async throws -> [PGSetting]

    /// Runs a simple-protocol query string, which may hold several statements. The iterator runs them
    /// lazily, one per `next()`: PGWire streams each statement's result fully before asking for the next,
    /// and stops asking after an error (PostgreSQL's simple-query semantics).
    func simpleQuery(_ sql: String) async throws -> any PGResultIterator

    /// Parse: plan `sql` with `$n` parameters (OID 0 = infer). The statement reports the final parameter
    /// types and result columns (for Describe). PGWire keeps it under `name`.
    func prepare(name: String, sql: String, parameterTypes: [UInt32]) async throws -> any PGPreparedStatement

    /// Bind: create a portal from a prepared statement and parameter values (raw bytes in their format,
    /// with the statement's parameter type; `PGBindParameter.cell()` decodes the common types).
    func bind(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) async throws -> any PGPortal

    /// Startup without blocking, or `.wouldBlock` (see "Fast paths" above).
    func startupImmediately(_ info: PGStartupInfo) throws -> PGImmediate<[PGSetting]>

    /// Parse without blocking, or `.wouldBlock` (see "Fast paths" above).
    func prepareImmediately(name: String, sql: String, parameterTypes: [UInt32]) throws -> PGImmediate<any PGPreparedStatement>

    /// Bind without blocking, or `.wouldBlock` (see "Fast paths" above).
    func bindImmediately(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) throws -> PGImmediate<any PGPortal>

    /// ReadyForQuery's status: idle, in a transaction block, or in a failed one. Read after each statement.
    var transactionStatus: PGTransactionStatus { get }

    /// Reportable settings (client_encoding, DateStyle, TimeZone, application_name, … — PostgreSQL's
    /// GUC_REPORT set) changed since the last call, e.g. by SET. PGWire sends them as ParameterStatus before
    /// the next ReadyForQuery, as PostgreSQL does. Read on the event loop between calls; the default is none.
    func takeParameterChanges() -> [PGSetting]

    /// A CancelRequest with this session's key arrived: make the running statement (or row stream) fail
    /// with `PGError.queryCanceled` (57014) soon. Called from another event loop; must be thread-safe.
    func cancel()

    /// The connection closed (Terminate, disconnect, or a fatal error). Release everything.
    func close()
}

extension PGSession {
    public func takeParameterChanges() -> [PGSetting] { [] }

    public func startupImmediately(_ info: PGStartupInfo) throws -> PGImmediate<[PGSetting]> { .wouldBlock }

    public func prepareImmediately(name: String, sql: String, parameterTypes: [UInt32]) throws -> PGImmediate<any PGPreparedStatement> {
        .wouldBlock
    }

    public func bindImmediately(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) throws -> PGImmediate<any PGPortal> {
        .wouldBlock
    }
}

/// The outcome of a session call made on the event loop: its value, or `.wouldBlock` when the work may take long
/// and PGWire must make the async call in a Task instead.
public enum PGImmediate<Value> {
    case ready(Value)
    case wouldBlock
}

/// The statements of one simple query, run lazily one by one (see `PGSession.simpleQuery`).
public protocol PGResultIterator: AnyObject, Sendable {
    /// The next statement's result, or nil when there are no more.
    func next() async throws -> PGQueryResult?
}

/// A statement created by Parse.
public protocol PGPreparedStatement: AnyObject, Sendable {
    /// The parameter type OIDs (inferred where Parse left them 0), for ParameterDescription and Bind.
    var parameterTypes: [UInt32] { get }
    /// The result columns, or nil when the statement returns no rows (NoData).
    var columns: [PGColumn]? { get }
}

/// A portal created by Bind: a statement with its parameter values, ready to run.
public protocol PGPortal: AnyObject, Sendable {
    /// The result columns, or nil when the portal returns no rows (NoData).
    var columns: [PGColumn]? { get }
    /// Runs the portal; called once. A `.rows` stream is then pulled across several Execute messages when
    /// the client sets max_rows (PortalSuspended in between).
    func execute() async throws -> PGQueryResult
    /// Runs the portal without blocking, or `.wouldBlock` (see `PGSession`'s "Fast paths"); called instead of
    /// `execute`, first.
    func executeImmediately() throws -> PGImmediate<PGQueryResult>
}

extension PGPortal {
    public func executeImmediately() throws -> PGImmediate<PGQueryResult> { .wouldBlock }
}

/// A source of rows in batches: a pull query's result, a push query's endless changes, a cursor's FETCH.
public protocol PGRowStream: AnyObject, Sendable {
    var columns: [PGColumn] { get }
    /// Waits for at least one row and returns at most `maxRows` (≥ 1) of them; nil when the stream ended. A batch
    /// marked `isLast` ends it too, saving a pull. Throws `PGError` (57014 after `cancel()`).
    func next(maxRows: Int) async throws -> PGRowBatch?
    /// The next batch when it is at hand (rows already in memory), or `.wouldBlock` when `next` would wait.
    func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?>
    /// No more rows will be pulled (portal closed, error, disconnect). Must be idempotent.
    func close()
}

extension PGRowStream {
    public func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?> { .wouldBlock }
}

/// Receives COPY FROM STDIN data.
public protocol PGCopyInSink: AnyObject, Sendable {
    /// One CopyData payload (not necessarily aligned to rows).
    func receive(_ data: ByteBuffer) async throws
    /// CopyDone arrived; returns the command tag (e.g. `COPY 3`).
    func finish() async throws -> String
    /// CopyFail arrived with the client's message; discard what was received.
    func fail(_ message: String) async
}
