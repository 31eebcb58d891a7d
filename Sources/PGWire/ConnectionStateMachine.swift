import NIOCore

/// The sans-I/O protocol state of one connection (PostgreSQL protocol docs, "Message Flow"). A struct
/// holding a `State`; each method takes an event — a decoded frontend message or the outcome of a session
/// call — appends the backend messages to send to an output buffer, and returns the next `Step`. The
/// NIO handler performs the step (usually an async `PGSession` call) and feeds its outcome back. Tests
/// drive it with no channel at all.
///
/// Invariants: one step is in progress at a time (the driver feeds no message until the machine asks with
/// `.readNext`); RowDescription precedes DataRow on every simple-query path; after an error in the
/// extended protocol, messages are skipped until Sync; a FATAL error ends with `.close`.
public struct ConnectionStateMachine {
    /// Per-server settings for every connection: authentication, row batch size, randomness.
    public struct Configuration: Sendable {
        public var authenticator: PGAuthenticator
        /// Rows pulled from a stream per batch when the client set no limit.
        public var rowBatchSize: Int
        /// Salts and nonces for authentication; inject a seeded source in tests.
        public var randomBytes: @Sendable (Int) -> [UInt8]
        /// Connections served at once (PostgreSQL's max_connections): a start-up beyond it gets FATAL 53300.
        /// Cancel requests are still answered.
        public var maximumConnections: Int

        public static let defaultMaximumConnections = 2000

        public init(
            authenticator: PGAuthenticator = PGAuthenticator(), rowBatchSize: Int = 1024,
            randomBytes: @escaping @Sendable (Int) -> [UInt8] = ConnectionStateMachine.systemRandomBytes,
            maximumConnections: Int = Configuration.defaultMaximumConnections
        ) {
            self.authenticator = authenticator
            self.rowBatchSize = max(rowBatchSize, 1)
            self.randomBytes = randomBytes
            self.maximumConnections = max(maximumConnections, 1)
        }
    }

    /// What the driver must do next.
    public enum Step {
        /// Feed the next frontend message (after flushing output if none is queued).
        case readNext
        /// Call `PGSession.startup`, then `sessionStarted` or `sessionFailed`.
        case startSession(PGStartupInfo)
        /// Find the backend by key in the cancel registry, cancel it, then close this connection.
        case cancelBackend(CancelRequest)
        /// Call `PGSession.simpleQuery`, keep the iterator, then `simpleQueryStarted()`.
        case runSimpleQuery(String)
        /// Call the kept iterator's `next()`, then `statementReceived`.
        case nextStatement
        /// Call `PGSession.prepare`, then `statementPrepared`.
        case prepare(name: String, sql: String, parameterTypes: [UInt32])
        /// Call `PGSession.bind`, then `portalBound`.
        case bind(any PGPreparedStatement, portalName: String, parameters: [PGBindParameter])
        /// Call `PGPortal.execute`, then `portalExecuted`.
        case executePortal(any PGPortal)
        /// When the channel is writable, call `stream.next(maxRows:)`, then `rowsFetched`.
        case fetchRows(any PGRowStream, maxRows: Int)
        /// Call `sink.receive`, then `copyDataConsumed()`.
        case copyInData(any PGCopyInSink, ByteBuffer)
        /// Call `sink.finish()`, then `copyInFinished`.
        case copyInDone(any PGCopyInSink)
        /// Call `sink.fail`, then `copyInFailed(message)`.
        case copyInFail(any PGCopyInSink, String)
        /// Flush output and close the connection.
        case close
    }

    enum Mode { case simple, extended }

    struct Streaming {
        var stream: any PGRowStream
        var verb: String
        var formats: [PGFormat]
        /// The COPY format when the rows go out as CopyData, nil for DataRow.
        var copy: PGCopyFormat?
        var rowsSent = 0
        /// Rows this Execute may still send; nil when unlimited.
        var remaining: Int?
        /// The portal being executed (extended protocol), nil in a simple query.
        var portal: String?
    }

    enum Busy {
        case startingSession
        case runningQuery
        case awaitingStatement
        case parsing(name: String)
        case binding(portal: String, resultFormats: [Int16])
        case executing(portal: String, maxRows: Int32)
        case streaming(Streaming)
        case copyIn(any PGCopyInSink, Mode)
        case copyInWaiting(any PGCopyInSink, Mode)
    }

    enum State {
        case awaitingStartup
        case authenticating(PGAuthenticationExchange, PGStartupInfo)
        case ready
        case busy(Busy)
        case skippingUntilSync
        case closed
    }

    /// A class: Describe, Execute and its outcome each look the portal up, and a struct of these references would
    /// be copied out of the table, retained field by field, every time.
    final class PortalEntry {
        let portal: any PGPortal
        let formats: [PGFormat]
        var stream: Streaming?
        /// Set once the portal ran to completion: its command tag, or nil for an empty query. Executing it
        /// again repeats the completion without running anything.
        var completion: String??

        init(portal: any PGPortal, formats: [PGFormat]) {
            self.portal = portal
            self.formats = formats
        }
    }

    let configuration: Configuration
    public let backendKey: BackendKeyData
    let openConnections: Int
    var state = State.awaitingStartup
    var mode = Mode.simple
    var statements = NameTable<any PGPreparedStatement>()
    var portals = NameTable<PortalEntry>()
    /// The replies not yet taken. Its storage outlives `takeOutput`: once the channel has written the taken bytes
    /// and let go of them, the next reply is written into the same storage (see `output`).
    private var pendingOutput = ByteBuffer()
    /// The output buffer to append replies to. The first write after `takeOutput` resets it: in place when the
    /// channel no longer holds the taken bytes (the usual case: they were flushed), else into new storage (the
    /// buffer is copy-on-write), so a connection does not allocate an output buffer per response.
    var output: ByteBuffer {
        get { pendingOutput }
        _modify {
            if pendingOutput.readableBytes == 0, pendingOutput.writerIndex > 0 {
                if pendingOutput.capacity > Self.retainedOutputCapacity {
                    // A large result's storage is let go.
                    pendingOutput = ByteBufferAllocator().buffer(capacity: Self.outputCapacity)
                } else {
                    pendingOutput.clear()
                }
            }
            yield &pendingOutput
        }
    }
    var streamsToClose: [any PGRowStream] = []
    /// The last RowDescription sent by Describe, encoded, with the columns and formats it describes.
    var describedColumns: (columns: [PGColumn], formats: [PGFormat]?, message: ByteBuffer)?
    /// The session's transaction status, refreshed by the driver before each event.
    public var transactionStatus = PGTransactionStatus.idle
    var pendingParameterStatus: [PGSetting] = []

    /// `openConnections`: the connections open when this one was accepted, itself included.
    public init(configuration: Configuration, backendKey: BackendKeyData, openConnections: Int = 1) {
        self.configuration = configuration
        self.backendKey = backendKey
        self.openConnections = openConnections
    }

    public static let systemRandomBytes: @Sendable (Int) -> [UInt8] = { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    // MARK: - Output

    /// The bytes to send so far (taken, leaving the output empty).
    public mutating func takeOutput() -> ByteBuffer? {
        guard pendingOutput.readableBytes > 0 else { return nil }
        let taken = pendingOutput
        pendingOutput.moveReaderIndex(to: pendingOutput.writerIndex)  // storage kept for the next reply
        return taken
    }

    /// Room for a typical response (BindComplete, RowDescription, a DataRow, CommandComplete, ReadyForQuery).
    static let outputCapacity = 512
    /// Output storage larger than this (grown by a large result) is not kept for the next reply.
    static let retainedOutputCapacity = 16 * 1024

    /// Bytes waiting in the output buffer.
    public var outputBytes: Int { pendingOutput.readableBytes }

    public var hasStreamsToClose: Bool { !streamsToClose.isEmpty }

    /// Hands each row stream the driver must close to `close`, keeping the list's storage for the next ones (a
    /// finished lookup's stream passes here on every execution). `close` runs while the machine is being mutated:
    /// a stream's `close()` must not call back into the connection's handler.
    public mutating func closeStreams(_ close: (any PGRowStream) -> Void) {
        for stream in streamsToClose { close(stream) }
        streamsToClose.removeAll(keepingCapacity: true)
    }

    /// Row streams the driver must `close()` (portal closed, replaced, or abandoned after an error).
    public mutating func takeStreamsToClose() -> [any PGRowStream] {
        defer { streamsToClose = [] }
        return streamsToClose
    }

    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    mutating func send(_ message: BackendMessage) { message.encode(into: &output) }

    /// Settings the session changed; they go out as ParameterStatus before the next ReadyForQuery.
    public mutating func parametersChanged(_ settings: [PGSetting]) {
        pendingParameterStatus += settings
    }

    mutating func readyForQuery() -> Step {
        for setting in pendingParameterStatus { send(.parameterStatus(name: setting.name, value: setting.value)) }
        pendingParameterStatus = []
        send(.readyForQuery(transactionStatus))
        state = .ready
        return .readNext
    }

    /// A FATAL error: report it and close.
    mutating func fatal(_ error: PGError) -> Step {
        var error = error
        if error.severity == .error { error.severity = .fatal }
        send(.error(error))
        return closeConnection()
    }

    mutating func closeConnection() -> Step {
        dropAllPortals()
        if case .busy(.streaming(let streaming)) = state {
            streamsToClose.append(streaming.stream)
        }
        state = .closed
        return .close
    }

    // MARK: - Events: frontend messages

    /// A frontend message arrived (only when the last step was `.readNext`).
    public mutating func received(_ message: consuming FrontendMessage) -> Step {
        switch state {
        case .awaitingStartup: return receivedDuringStartup(message)
        case .authenticating(var exchange, let info):
            return receivedAuthentication(message, exchange: &exchange, info: info)
        case .ready: return receivedWhileReady(consume message)
        case .skippingUntilSync: return receivedWhileSkipping(message)
        case .busy(.copyIn(let sink, let mode)): return receivedDuringCopyIn(message, sink: sink, mode: mode)
        case .busy: return fatal(PGError.protocolViolation("message received while a statement is running"))
        case .closed: return .close
        }
    }

    /// The decoder or the connection failed: an 08P01 (or other FATAL) error, then close.
    public mutating func decodingFailed(_ error: PGError) -> Step {
        guard !isClosed else { return .close }
        return fatal(error)
    }

    /// Consuming, so that a message's payload moves into its handler rather than being copied (retained) out.
    private mutating func receivedWhileReady(_ message: consuming FrontendMessage) -> Step {
        switch consume message {
        case .query(let query): return startSimpleQuery(query.sql)
        case .parse(let parse): return receivedParse(parse)
        case .bind(let bind): return receivedBind(bind)
        case .describe(let describe): return receivedDescribe(describe)
        case .execute(let execute): return receivedExecute(execute)
        case .close(let close): return receivedClose(close)
        case .sync: return receivedSync()
        case .flush: return .readNext
        case .terminate: return closeConnection()
        case .copyData, .copyDone, .copyFail: return .readNext  // ignored outside COPY, as PostgreSQL does
        case .startup, .sslRequest, .gssEncryptionRequest, .cancel, .authenticationResponse:
            return fatal(PGError.protocolViolation("unexpected message during a session"))
        }
    }

    private mutating func receivedWhileSkipping(_ message: FrontendMessage) -> Step {
        switch message {
        case .sync: return receivedSync()
        case .terminate: return closeConnection()
        default: return .readNext
        }
    }

    // MARK: - Events: session outcomes

    /// A session call threw. In a simple query: ErrorResponse and ReadyForQuery. In the extended
    /// protocol: ErrorResponse, then skip until Sync. During start-up: FATAL and close.
    public mutating func sessionFailed(_ error: any Error) -> Step {
        let error = PGError.wrapping(error)
        guard case .busy(let busy) = state else { return isClosed ? .close : fatal(error) }
        if case .startingSession = busy { return fatal(error) }
        if case .streaming(let streaming) = busy { abandon(streaming) }
        if error.severity == .fatal || error.severity == .panic { return fatal(error) }
        send(.error(error))
        return afterError()
    }

    mutating func afterError() -> Step {
        switch mode {
        case .simple: return readyForQuery()
        case .extended:
            state = .skippingUntilSync
            return .readNext
        }
    }

    /// A stream that failed or was cut short: a simple query's is closed; a portal's is dropped.
    private mutating func abandon(_ streaming: Streaming) {
        streamsToClose.append(streaming.stream)
        if let portal = streaming.portal { portals[portal]?.stream = nil }
    }
}
