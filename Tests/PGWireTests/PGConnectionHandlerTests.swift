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
        let session = TestSession()
        var received: [BackendMessage] = []

        init(registry: PGCancelRegistry, batchSize: Int = 1024) async throws {
            let configuration = PGWirePipeline.Configuration(connection: .init(rowBatchSize: batchSize))
            let channel = self.channel
            let session = self.session
            try await channel.testingEventLoop.executeInContext {
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
