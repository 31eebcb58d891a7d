import NIOCore
import NIOEmbedded
import PGWire
import Testing

/// The NIO handler over an NIOAsyncTestingChannel (thread-safe, unlike EmbeddedChannel, which the handler's
/// Tasks would touch from other threads): pipelined messages, writability backpressure, and a cancel arriving on
/// a second connection through the shared registry.
@Suite struct PGConnectionHandlerTests {
    final class Connection {
        let channel = NIOAsyncTestingChannel()
        var received: [BackendMessage] = []

        let session: TestSession
        let flushes = FlushCounter()

        init(registry: PGCancelRegistry, batchSize: Int = 1024, immediate: Bool = false) async throws {
            session = TestSession(immediate: immediate)
            let configuration = PGWirePipeline.Configuration(connection: .init(rowBatchSize: batchSize))
            let channel = self.channel
            let session = self.session
            let flushes = self.flushes
            try await channel.testingEventLoop.executeInContext {
                try channel.pipeline.syncOperations.addHandler(flushes)
                _ = try PGWirePipeline.addHandlers(
                    to: channel.pipeline.syncOperations, configuration: configuration, registry: registry, session: session)
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1))
        }

        func send(_ messages: FrontendMessage...) async throws {
            var buffer = ByteBuffer()
            for message in messages { message.encode(into: &buffer) }
            try await channel.writeInbound(buffer)
        }

        func setWritable(_ writable: Bool) async throws {
            let channel = self.channel
            try await channel.testingEventLoop.executeInContext {
                channel.isWritable = writable
                channel.pipeline.fireChannelWritabilityChanged()
            }
        }

        /// Runs the loop (Tasks hop back onto it) until `done` holds, for at most about two seconds.
        @discardableResult
        func collect(until done: ([BackendMessage]) -> Bool) async throws -> [BackendMessage] {
            for _ in 0..<400 {
                await channel.testingEventLoop.run()
                while var buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                    received += try BackendFrames.decode(&buffer)
                }
                if done(received) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            return received
        }

        func startup() async throws -> BackendKeyData? {
            try await send(.startup(StartupMessage(parameters: ["user": "alice", "database": "sluice"])))
            let messages = try await collect { $0.last == .readyForQuery(.idle) }
            received = []
            for case .backendKeyData(let key) in messages { return key }
            return nil
        }
    }

    /// Counts the flushes that reach the socket.
    final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {
        // @unchecked: used on the channel's event loop only.
        typealias OutboundIn = ByteBuffer
        var count = 0
        func flush(context: ChannelHandlerContext) {
            count += 1
            context.flush()
        }
    }

    /// A session that has its answers at hand (PGSession's fast paths) is answered on the event loop, with no
    /// task: a pipelined Parse … Sync is fully answered by the time the read that brought it has been handled, in
    /// one flush. An error from a fast path is an ErrorResponse like any other, and the connection goes on.
    @Test func immediateAnswersGoOutInOneFlushPerRead() async throws {
        let connection = try await Connection(registry: PGCancelRegistry(), immediate: true)
        _ = try await connection.startup()
        let channel = connection.channel
        let flushes = connection.flushes
        let before = try await channel.testingEventLoop.executeInContext { flushes.count }
        try await connection.send(
            .parse(Parse(name: "", sql: "SELECT * FROM t")), .bind(Bind(portal: "", statement: "")),
            .describe(Describe(kind: .portal, name: "")), .execute(Execute(portal: "", maxRows: 2)),
            .execute(Execute(portal: "")), .sync)
        var messages: [BackendMessage] = []
        while var buffer = try await channel.readOutbound(as: ByteBuffer.self) { messages += try BackendFrames.decode(&buffer) }
        let dataRows = TestSession.tRows.count
        #expect(messages.count == 4 + dataRows + 2)
        #expect(messages.prefix(3) == [.parseComplete, .bindComplete, .rowDescription(RowDescription(columns: TestSession.tColumns))])
        #expect(messages.contains(.portalSuspended))
        #expect(messages.suffix(2) == [.commandComplete("SELECT 1"), .readyForQuery(.idle)])
        let after = try await channel.testingEventLoop.executeInContext { flushes.count }
        #expect(after == before + 1)

        var minusOne = ByteBuffer()
        minusOne.writeInteger(Int32(-1))
        try await connection.send(
            .parse(Parse(name: "p", sql: "SELECT $1", parameterTypes: [PGType.int4.oid])),
            .bind(Bind(portal: "", statement: "p", parameterFormats: [1], parameters: [minusOne])),
            .execute(Execute(portal: "")), .sync)
        messages = []
        while var buffer = try await channel.readOutbound(as: ByteBuffer.self) { messages += try BackendFrames.decode(&buffer) }
        #expect(messages.first == .parseComplete)
        #expect(messages.contains { if case .errorResponse(let fields) = $0 { fields.value("C") == "22023" } else { false } })
        #expect(messages.last == .readyForQuery(.idle))
    }

    /// The handler frames messages itself: a message split across reads (inside its length, inside its body)
    /// waits for its rest, and a read holding more messages than the queue takes (256) is answered in full.
    @Test func messagesSplitAcrossReadsAndBeyondTheQueueBound() async throws {
        let connection = try await Connection(registry: PGCancelRegistry(), immediate: true)
        _ = try await connection.startup()
        var bytes = ByteBuffer()
        FrontendMessage.parse(Parse(name: "", sql: "SELECT * FROM t")).encode(into: &bytes)
        for _ in 0..<300 {
            FrontendMessage.bind(Bind(portal: "", statement: "")).encode(into: &bytes)
            FrontendMessage.execute(Execute(portal: "")).encode(into: &bytes)
        }
        FrontendMessage.sync.encode(into: &bytes)
        // Cut inside the Parse's length field, then inside a Bind's body, then send the rest.
        for (start, end) in [(0, 3), (3, 40), (40, bytes.readableBytes)] {
            try await connection.channel.writeInbound(bytes.getSlice(at: start, length: end - start)!)
        }
        let messages = try await connection.collect { $0.last == .readyForQuery(.idle) }
        #expect(messages.first == .parseComplete)
        #expect(messages.filter { $0 == .bindComplete }.count == 300)
        #expect(messages.filter { $0 == .commandComplete("SELECT 3") }.count == 300)
        #expect(messages.filter { if case .dataRow = $0 { true } else { false } }.count == 900)
        #expect(messages.last == .readyForQuery(.idle))
        #expect(!messages.contains { $0.errorFields != nil })
    }

    @Test func pipelinedExtendedProtocolInOneWrite() async throws {
        let connection = try await Connection(registry: PGCancelRegistry())
        _ = try await connection.startup()
        try await connection.send(
            .parse(Parse(name: "", sql: "SELECT * FROM t")), .bind(Bind(portal: "", statement: "")),
            .describe(Describe(kind: .portal, name: "")), .execute(Execute(portal: "", maxRows: 2)),
            .execute(Execute(portal: "")), .sync, .query("SELECT 1"))
        let messages = try await connection.collect { $0.filter { $0 == .readyForQuery(.idle) }.count == 2 }
        #expect(
            messages.prefix(3) == [
                .parseComplete, .bindComplete, .rowDescription(RowDescription(columns: TestSession.tColumns)),
            ])
        #expect(messages.filter { if case .dataRow = $0 { true } else { false } }.count == 4)
        #expect(messages.contains(.portalSuspended))
        #expect(messages.contains(.commandComplete("SELECT 1")))  // the rows of the last Execute
        #expect(messages.last == .readyForQuery(.idle))
    }

    @Test func streamingPausesWhileTheChannelIsNotWritable() async throws {
        let registry = PGCancelRegistry()
        let connection = try await Connection(registry: registry, batchSize: 10)
        let key = try #require(try await connection.startup())
        try await connection.setWritable(false)
        try await connection.send(.query("SELECT * FROM forever"))
        let paused = try await connection.collect { !$0.isEmpty }
        try await Task.sleep(for: .milliseconds(50))
        let stillPaused = try await connection.collect { _ in true }
        // RowDescription went out, then the first fetch parked: no rows are pulled, so none arrive.
        #expect(paused.first == .rowDescription(RowDescription(columns: [PGColumn(name: "n", type: .int8)])))
        #expect(stillPaused.count == 1)

        try await connection.setWritable(true)
        let resumed = try await connection.collect { $0.count > 50 }
        #expect(resumed.count > 50)

        // Cancel through a second connection: the stream fails with 57014 and the session stays usable.
        let canceller = try await Connection(registry: registry)
        try await canceller.send(.cancel(CancelRequest(processID: key.processID, secretKey: key.secretKey)))
        try await canceller.collect { _ in !canceller.channel.isActive }
        #expect(!canceller.channel.isActive)
        let cancelled = try await connection.collect { $0.last == .readyForQuery(.idle) }
        #expect(cancelled.compactMap(\.errorFields).first?.code == SQLState.queryCanceled)
    }

    /// Makes the channel writable again inside the flush that drains it, firing channelWritabilityChanged before
    /// the flush returns, as a real socket does once its buffer empties below the low-water mark.
    final class WritableOnFlush: ChannelOutboundHandler, @unchecked Sendable {
        // @unchecked: used on the channel's event loop only.
        typealias OutboundIn = ByteBuffer
        let channel: NIOAsyncTestingChannel
        init(_ channel: NIOAsyncTestingChannel) { self.channel = channel }
        func flush(context: ChannelHandlerContext) {
            context.flush()
            if !channel.isWritable {
                channel.isWritable = true
                channel.pipeline.fireChannelWritabilityChanged()
            }
        }
    }

    /// A fetch parks on an unwritable channel and flushes; when that very flush makes the channel writable, the
    /// writability event must find the parked fetch, or the stream stalls for good.
    @Test func writabilityRegainedDuringTheParkingFlushResumesTheStream() async throws {
        let connection = try await Connection(registry: PGCancelRegistry(), batchSize: 1, immediate: true)
        _ = try await connection.startup()
        let channel = connection.channel
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(WritableOnFlush(channel), position: .first)
        }
        try await connection.setWritable(false)
        try await connection.send(
            .parse(Parse(name: "", sql: "SELECT * FROM t")), .bind(Bind(portal: "", statement: "")),
            .execute(Execute(portal: "")), .sync)
        let messages = try await connection.collect { $0.last == .readyForQuery(.idle) }
        #expect(messages.filter { if case .dataRow = $0 { true } else { false } }.count == TestSession.tRows.count)
        #expect(messages.last == .readyForQuery(.idle))
    }

    @Test func wrongCancelKeyDoesNothingAndDisconnectReleasesTheSession() async throws {
        let registry = PGCancelRegistry()
        let connection = try await Connection(registry: registry)
        let key = try #require(try await connection.startup())
        #expect(registry.cancel(CancelRequest(processID: key.processID, secretKey: key.secretKey &+ 1)) == false)
        #expect(!connection.session.isCancelled)
        #expect(registry.count == 1)
        try await connection.send(.terminate)
        try await connection.collect { _ in !connection.channel.isActive }
        #expect(connection.session.isClosed)
        #expect(registry.count == 0)
    }
}
