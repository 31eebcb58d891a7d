import NIOCore
import PGWire

/// Drives a `ConnectionStateMachine` against a `TestSession` with no channel: performs each step by
/// calling the session directly and collects the decoded backend messages.
struct MachineDriver {
    var machine: ConnectionStateMachine
    let session: TestSession
    var iterator: (any PGResultIterator)?
    var closed = false
    var cancelled: CancelRequest?
    var closedStreams = 0

    init(
        method: PGAuthenticationMethod = .trust, users: PGUserStore = PGUserStore(), batchSize: Int = 1024,
        session: TestSession = TestSession(), maximumConnections: Int = 100, openConnections: Int = 1
    ) {
        let configuration = ConnectionStateMachine.Configuration(
            authenticator: PGAuthenticator(method: method, users: users), rowBatchSize: batchSize,
            randomBytes: { Array(repeating: 1, count: $0) }, maximumConnections: maximumConnections)
        machine = ConnectionStateMachine(
            configuration: configuration, backendKey: BackendKeyData(processID: 7, secretKey: 42),
            openConnections: openConnections)
        self.session = session
    }

    /// Sends messages and returns every backend message produced until the machine waits for input.
    mutating func send(_ messages: FrontendMessage...) async -> [BackendMessage] {
        var output: [BackendMessage] = []
        for message in messages {
            refresh()
            await perform(machine.received(message))
            output += takeMessages()
        }
        return output
    }

    mutating func startup(user: String = "alice", database: String = "sluice") async -> [BackendMessage] {
        await send(.startup(StartupMessage(parameters: ["user": user, "database": database])))
    }

    private mutating func refresh() {
        machine.transactionStatus = session.transactionStatus
        machine.parametersChanged(session.takeParameterChanges())
    }

    mutating func takeMessages() -> [BackendMessage] {
        guard var buffer = machine.takeOutput() else { return [] }
        return (try? BackendFrames.decode(&buffer)) ?? []
    }

    private mutating func perform(_ first: ConnectionStateMachine.Step) async {
        var step = first
        while true {
            closedStreams += machine.takeStreamsToClose().count
            switch step {
            case .readNext: return
            case .close:
                closed = true
                return
            case .cancelBackend(let request):
                cancelled = request
                closed = true
                return
            default:
                step = await outcome(of: step)
                refresh()
            }
        }
    }

    private mutating func outcome(of step: ConnectionStateMachine.Step) async -> ConnectionStateMachine.Step {
        do {
            switch step {
            case .startSession(let info): return machine.sessionStarted(parameters: try await session.startup(info))
            case .runSimpleQuery(let sql):
                iterator = try await session.simpleQuery(sql)
                return machine.simpleQueryStarted()
            case .nextStatement: return machine.statementReceived(try await iterator!.next())
            case .prepare(let name, let sql, let types):
                return machine.statementPrepared(try await session.prepare(name: name, sql: sql, parameterTypes: types))
            case .bind(let statement, let portal, let parameters):
                return machine.portalBound(
                    try await session.bind(statement, portalName: portal, parameters: parameters))
            case .executePortal(let portal): return machine.portalExecuted(try await portal.execute())
            case .fetchRows(let stream, let maxRows):
                return machine.rowsFetched(try await stream.next(maxRows: maxRows))
            case .copyInData(let sink, let data):
                try await sink.receive(data)
                return machine.copyDataConsumed()
            case .copyInDone(let sink): return machine.copyInFinished(tag: try await sink.finish())
            case .copyInFail(let sink, let message):
                await sink.fail(message)
                return machine.copyInFailed(message: message)
            case .readNext, .close, .cancelBackend: return step
            }
        } catch {
            return machine.sessionFailed(error)
        }
    }
}

/// Splits a backend byte stream into messages (the client side).
enum BackendFrames {
    static func decode(_ buffer: inout ByteBuffer) throws -> [BackendMessage] {
        var messages: [BackendMessage] = []
        while buffer.readableBytes > 0 {
            guard let tag: UInt8 = buffer.readInteger() else { break }
            if buffer.readableBytes == 0, tag == UInt8(ascii: "N") {
                messages.append(.encryptionRefused)
                break
            }
            guard let length: Int32 = buffer.readInteger(), var body = buffer.readSlice(length: Int(length) - 4) else {
                throw PGError.protocolViolation("truncated backend message")
            }
            messages.append(try BackendMessage.decode(tag: tag, body: &body))
        }
        return messages
    }
}

extension FrontendMessage {
    static func query(_ sql: String) -> FrontendMessage { .query(Query(sql: sql)) }

    var bytes: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }
}

extension BackendMessage {
    var bytes: [UInt8] {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    var errorFields: PGError? {
        if case .errorResponse(let fields) = self { return fields.error }
        return nil
    }
}
