import NIOCore
import NIOPosix
import PGWire
import Testing

/// A thousand clients at once on a real socket, with one sending garbage: the bad one gets FATAL 08P01 and is
/// closed while every other session completes its query.
@Suite struct ConcurrentConnectionsTests {
    /// Collects everything the server sends until it closes the connection.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<ByteBuffer>
        // Confined to the channel's event loop: only touched in channelRead/channelInactive.
        nonisolated(unsafe) var received = ByteBuffer()

        init(done: EventLoopPromise<ByteBuffer>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            received.writeBuffer(&chunk)
        }

        func channelInactive(context: ChannelHandlerContext) { done.succeed(received) }
    }

    static func talk(_ group: any EventLoopGroup, port: Int, sending bytes: ByteBuffer) async throws -> [BackendMessage] {
        let promise = group.next().makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(done: promise)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(bytes)
        var received = try await promise.futureResult.get()
        return try BackendFrames.decode(&received)
    }

    @Test func manyClientsAndOneMalformed() async throws {
        let server = try await PsqlIntegrationTests.Server()
        let clients = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var good = ByteBuffer()
        FrontendMessage.startup(StartupMessage(parameters: ["user": "u", "database": "sluice"])).encode(into: &good)
        FrontendMessage.query("SELECT * FROM t").encode(into: &good)
        FrontendMessage.terminate.encode(into: &good)
        var bad = ByteBuffer()
        FrontendMessage.startup(StartupMessage(parameters: ["user": "u", "database": "sluice"])).encode(into: &bad)
        bad.writeBytes([UInt8(ascii: "Q"), 0x7F, 0xFF, 0xFF, 0xFF])  // a 2 GiB query
        let port = server.port
        let (completedCount, badErrors) = try await withThrowingTaskGroup(of: (Bool, String?).self) { group in
            for index in 0..<1000 {
                let bytes = index == 500 ? bad : good
                group.addTask {
                    let messages = try await Self.talk(clients, port: port, sending: bytes)
                    return (messages.contains(.commandComplete("SELECT 3")), messages.compactMap(\.errorFields).first?.code)
                }
            }
            var completed = 0
            var errors: [String] = []
            for try await (ok, error) in group {
                if ok { completed += 1 }
                if let error { errors.append(error) }
            }
            return (completed, errors)
        }
        try await clients.shutdownGracefully()
        try await server.shutdown()
        #expect(completedCount == 999)
        #expect(badErrors == [SQLState.protocolViolation])
        #expect(server.registry.count == 0)
    }
}
