import NIOCore

/// Drives one connection's `ConnectionStateMachine` over a channel: frames the bytes read into frontend messages
/// (`FrontendMessageDecoder`), feeds them to the machine one at a time (queueing those that arrive while a step
/// is running), performs its steps — calling the
/// `PGSession` in a Task and hopping back to the event loop with the outcome, or on the loop itself when the
/// session has the outcome at hand (its `…Immediately` fast paths) — and writes its output.
///
/// Backpressure: rows are pulled from a stream only while the channel is writable (a parked fetch resumes
/// on `channelWritabilityChanged`), and reading from the socket pauses while too many messages queue up.
/// Output is flushed per row batch and whenever the machine waits for input with nothing queued, once per socket
/// read at most.
///
/// The handler frames messages itself rather than behind a ByteToMessageHandler: a message passed down the pipeline
/// is boxed in an NIOAny, cast back and hopped through the pipeline, four times per pgbench transaction.
///
/// Not Sendable: all state is confined to the channel's event loop; Tasks reach it only through
/// `NIOLoopBound`, which hops back to that loop.
public final class PGConnectionHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private static let maximumQueuedMessages = 256
    /// Replies to one read's messages wait for its end to be written together, up to this many bytes.
    private static let coalescedOutputLimit = 64 * 1024

    private var machine: ConnectionStateMachine
    private let session: any PGSession
    private let registry: PGCancelRegistry
    private var context: ChannelHandlerContext?
    private var decoder: FrontendMessageDecoder
    /// Bytes read but not yet framed: a message's beginning, or messages beyond the queue's bound.
    private var unread = ByteBuffer()
    /// A framing error (08P01), reported once the messages before it have been handled.
    private var decodingError: PGError?
    private var queue = CircularBuffer<FrontendMessage>()
    private var waitingForInput = true
    private var parkedFetch: (stream: any PGRowStream, maxRows: Int)?
    private var iterator: (any PGResultIterator)?
    private var readPending = false
    /// Between a read's first decoded message and its channelReadComplete: output waits for the latter's flush.
    private var reading = false
    private var closed = false

    public init(
        session: any PGSession, registry: PGCancelRegistry, configuration: ConnectionStateMachine.Configuration,
        maximumMessageSize: Int = FrontendMessageDecoder.defaultMaximumMessageSize
    ) {
        self.decoder = FrontendMessageDecoder(maximumMessageSize: maximumMessageSize)
        self.session = session
        self.registry = registry
        let (key, open) = registry.registerCounting(session)
        self.machine = ConnectionStateMachine(configuration: configuration, backendKey: key, openConnections: open)
    }

    public var backendKey: BackendKeyData { machine.backendKey }

    // MARK: - Channel events

    public func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Also releases the session when the handler leaves the pipeline without the channel going inactive.
    public func handlerRemoved(context: ChannelHandlerContext) {
        shutDown()
        self.context = nil
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard decodingError == nil, !closed else { return }  // after a framing error, the rest is not read
        var bytes = unwrapInboundIn(data)
        if unread.readableBytes == 0 {
            unread = bytes
        } else {
            // A message's beginning waits for the rest: drop what was framed before it, so that the buffer holds
            // at most that message and one read (appending to storage that queued messages still slice copies it).
            unread.discardReadBytes()
            unread.writeBuffer(&bytes)
        }
        reading = true
        frameMessages()
        drain()
    }

    /// Frames whole messages from the unread bytes into the queue, up to its bound. Called after every read and
    /// every drain, so that a queue below its bound means no whole message is left unframed: reading pauses only
    /// on a full queue, and what is buffered stays bounded (256 messages, one partial message, one read).
    private func frameMessages() {
        while decodingError == nil, queue.count < Self.maximumQueuedMessages {
            do {
                guard try decoder.next(from: &unread, into: &queue) else { break }
            } catch {
                decodingError = error
                unread.clear()
            }
        }
    }

    /// The end of what one socket read decoded: its answers go out in one write (pgbench's Bind, Execute, Sync
    /// arrive together and get one reply).
    public func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        // Also while a step runs in a Task: the replies to the messages before it (a key lookup's rows and
        // ReadyForQuery, written when the step started) must not wait for it.
        if !closed {
            writeOutput()
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let parked = parkedFetch {
            parkedFetch = nil
            perform(.fetchRows(parked.stream, maxRows: parked.maxRows))
            drain()
        }
        context.fireChannelWritabilityChanged()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        shutDown()
        context.fireChannelInactive()
    }

    /// A socket error (framing errors are the handler's own, reported in `drain`).
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shutDown()
        context.close(promise: nil)
    }

    public func read(context: ChannelHandlerContext) {
        if queue.count >= Self.maximumQueuedMessages {
            readPending = true
        } else {
            context.read()
        }
    }

    // MARK: - Driving the machine

    /// Feeds queued messages while the machine waits for input; flushes once it waits with none left.
    private func drain() {
        while waitingForInput, !closed {
            if queue.isEmpty { frameMessages() }
            guard !queue.isEmpty else { break }
            refreshSessionState()
            perform(machine.received(queue.removeFirst()))
        }
        if waitingForInput, !closed, queue.isEmpty, let error = decodingError {
            perform(machine.decodingFailed(error))
        }
        frameMessages()
        if readPending, queue.count < Self.maximumQueuedMessages {
            readPending = false
            context?.read()
        }
        if waitingForInput, !closed, !reading { context?.flush() }
    }

    private func refreshSessionState() {
        machine.transactionStatus = session.transactionStatus
        let changes = session.takeParameterChanges()
        if !changes.isEmpty { machine.parametersChanged(changes) }
    }

    private func writeOutput() {
        closeAbandonedStreams()
        guard let context, let output = machine.takeOutput() else { return }
        context.write(wrapOutboundOut(output), promise: nil)
    }

    private func closeAbandonedStreams() {
        guard machine.hasStreamsToClose else { return }
        machine.closeStreams { $0.close() }
    }

    /// Consuming, like `performSessionStep`: a step's payload (a statement, a portal, parameters) moves into the
    /// call that needs it rather than being retained out of the enum.
    private func perform(_ step: consuming ConnectionStateMachine.Step) {
        waitingForInput = false
        if reading, machine.outputBytes < Self.coalescedOutputLimit {
            // More messages of this read may follow (pgbench's Bind, Describe, Execute, Sync), and most session
            // steps finish at once: their replies gather in one buffer, written once at channelReadComplete (or
            // when a step leaves the event loop, see `run`) rather than one write each.
            closeAbandonedStreams()
        } else {
            writeOutput()
        }
        switch step {
        case .readNext: waitingForInput = true
        case .close: closeChannel()
        case .cancelBackend(let request):
            registry.cancel(request)
            closeChannel()
        case .startSession(let info):
            let session = self.session
            run(immediately: { try session.startupImmediately(info) }, { try await session.startup(info) }) {
                $0.sessionStarted(parameters: $1)
            }
        default: performSessionStep(step)
        }
    }

    private func performSessionStep(_ step: consuming ConnectionStateMachine.Step) {
        let session = self.session
        switch consume step {
        case .runSimpleQuery(let sql):
            run({ try await session.simpleQuery(sql) }) { [unowned self] machine, iterator in
                self.iterator = iterator
                return machine.simpleQueryStarted()
            }
        case .nextStatement:
            guard let iterator else { return perform(machine.unexpectedOutcome("nextStatement")) }
            run({ try await iterator.next() }) { $0.statementReceived($1) }
        case .prepare(let name, let sql, let types):
            run(
                immediately: { try session.prepareImmediately(name: name, sql: sql, parameterTypes: types) },
                { try await session.prepare(name: name, sql: sql, parameterTypes: types) }
            ) { $0.statementPrepared($1) }
        case .bind(let statement, let portal, let parameters):
            run(
                immediately: { try session.bindImmediately(statement, portalName: portal, parameters: parameters) },
                { try await session.bind(statement, portalName: portal, parameters: parameters) }
            ) { $0.portalBound($1) }
        case .executePortal(let portal):
            run(immediately: { try portal.executeImmediately() }, { try await portal.execute() }) { $0.portalExecuted($1) }
        case .fetchRows(let stream, let maxRows):
            fetch(stream, maxRows: maxRows)
        case let other:
            performCopyStep(other)
        }
    }

    private func performCopyStep(_ step: ConnectionStateMachine.Step) {
        switch step {
        case .copyInData(let sink, let data):
            run({ try await sink.receive(data) }) { machine, _ in machine.copyDataConsumed() }
        case .copyInDone(let sink):
            run({ try await sink.finish() }) { $0.copyInFinished(tag: $1) }
        case .copyInFail(let sink, let message):
            run({ await sink.fail(message) }) { machine, _ in machine.copyInFailed(message: message) }
        default:
            preconditionFailure("step \(step) is handled elsewhere")
        }
    }

    /// Pulls the next batch, unless the client is not keeping up: then the fetch waits for writability. What is
    /// written so far goes out before a fetch that may wait (a push query's next rows).
    private func fetch(_ stream: any PGRowStream, maxRows: Int) {
        guard let context else { return }
        guard context.channel.isWritable else {
            // Parked before the flush: a flush that drains the buffer fires channelWritabilityChanged at once,
            // which must find the fetch to resume.
            parkedFetch = (stream, maxRows)
            writeOutput()
            context.flush()
            return
        }
        run(immediately: { try stream.nextImmediately(maxRows: maxRows) }, flushBeforeWaiting: true, { try await stream.next(maxRows: maxRows) }) {
            $0.rowsFetched($1)
        }
    }

    /// Feeds the outcome of `immediately` to the machine at once when the session had it at hand; otherwise runs
    /// `operation` off the event loop, then feeds its outcome to the machine on the loop. `operation` is made only
    /// then: an escaping closure with captures is an allocation, on every Bind and Execute otherwise.
    private func run<T: Sendable>(
        immediately: () throws -> PGImmediate<T> = { .wouldBlock },
        flushBeforeWaiting: Bool = false,
        _ operation: @autoclosure () -> @Sendable () async throws -> T,
        then next: @escaping (inout ConnectionStateMachine, consuming T) -> ConnectionStateMachine.Step
    ) {
        guard let context else { return }
        let immediate: Result<T, any Error>?
        do {
            if case .ready(let value) = try immediately() { immediate = .success(value) } else { immediate = nil }
        } catch {
            immediate = .failure(error)
        }
        // On the loop already, inside drain() or a caller that drains next.
        if let immediate { return feed(immediate, next: next) }
        writeOutput()  // the replies so far, flushed at channelReadComplete or when the machine next waits for input
        if flushBeforeWaiting { context.flush() }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let next = NIOLoopBound(next, eventLoop: context.eventLoop)
        let operation = operation()
        Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            handler.eventLoop.execute { handler.value.resume(with: result, next: next.value) }
        }
    }

    private func resume<T>(
        with result: Result<T, any Error>,
        next: (inout ConnectionStateMachine, consuming T) -> ConnectionStateMachine.Step
    ) {
        guard !closed else { return }
        feed(result, next: next)
        drain()
    }

    /// Gives the machine a session call's outcome and performs the step it answers.
    private func feed<T>(
        _ result: consuming Result<T, any Error>,
        next: (inout ConnectionStateMachine, consuming T) -> ConnectionStateMachine.Step
    ) {
        refreshSessionState()
        switch consume result {
        case .success(let value): perform(next(&machine, value))
        case .failure(let error): perform(machine.sessionFailed(error))
        }
    }

    private func closeChannel() {
        guard let context, !closed else { return }
        writeOutput()
        context.flush()
        shutDown()
        context.close(promise: nil)
    }

    /// Releases the session once, whatever ended the connection.
    private func shutDown() {
        guard !closed else { return }
        closed = true
        if !machine.isClosed { _ = machine.closeConnection() }
        machine.closeStreams { $0.close() }
        parkedFetch?.stream.close()
        parkedFetch = nil
        registry.unregister(processID: machine.backendKey.processID)
        session.close()
    }
}
