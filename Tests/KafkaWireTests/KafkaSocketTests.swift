import Foundation
import KafkaWire
import NIOCore
import NIOPosix
import SluiceTestSupport
import Testing

/// A real listener on 127.0.0.1 with the stub handler, driven over a socket and by kcat / kafka-python if present.
@Suite(.serialized) struct KafkaSocketTests {
    static func startServer(port: Int = 0) throws -> (Channel, Int) {
        let handler = StubHandler()
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addKafkaServerHandlers(handler: handler)
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        let boundPort = channel.localAddress?.port ?? 0
        handler.advertisedPort.store(Int32(boundPort), ordering: .relaxed)
        return (channel, boundPort)
    }

    @Test func metadataOverASocket() async throws {
        let (server, port) = try Self.startServer()
        defer { try? server.close().wait() }
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await client.executeThenClose { inbound, outbound in
            try await outbound.write(
                requestFrame(.metadata(MetadataRequest(topics: nil)), version: 4, correlationID: 11))
            var received = ByteBuffer()
            for try await chunk in inbound {
                received.writeImmutableBuffer(chunk)
                if let size = received.getInteger(at: 0, as: Int32.self), received.readableBytes >= 4 + Int(size) {
                    break
                }
            }
            let (id, response) = try parseResponse(received, apiKey: .metadata, version: 4)
            #expect(id == 11)
            guard case .metadata(let metadata) = response else { Issue.record("not Metadata"); return }
            #expect(metadata.brokers.first?.port == Int32(port))
        }
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        try runProcess(executable, arguments)
    }

    /// `make test` installs the clients and sets SLUICE_REQUIRE_CLIENTS=1, so CI cannot skip these tests.
    static var required: Bool { ProcessInfo.processInfo.environment["SLUICE_REQUIRE_CLIENTS"] == "1" }

    static func skip(_ reason: String) {
        if required { Issue.record("SLUICE_REQUIRE_CLIENTS=1 but \(reason)") } else { print("skipped: \(reason)") }
    }

    /// Runs a client process on a thread of its own: waiting for it on a Swift concurrency thread could starve the
    /// server's async handler of the (2-thread) cooperative pool when other tests run in parallel.
    static func runOffPool(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do { continuation.resume(returning: try run(executable, arguments)) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    @Test func kcatListsMetadata() async throws {
        guard let kcat = Self.which("kcat") else {
            Self.skip("kcat is not on PATH (apt-get install -y kcat)")
            return
        }
        let (server, port) = try Self.startServer()
        defer { try? server.close().wait() }
        let (status, output) = try await Self.runOffPool(kcat, ["-b", "127.0.0.1:\(port)", "-L", "-m", "30"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("topic \"t\""), "\(output)")
    }

    @Test func kafkaPythonMetadata() async throws {
        // KAFKAWIRE_TEST_PYTHON names a Python with kafka-python; else python3 if it imports kafka.
        let python = ProcessInfo.processInfo.environment["KAFKAWIRE_TEST_PYTHON"] ?? Self.which("python3")
        guard let python, (try? Self.run(python, ["-c", "import kafka"]))?.0 == 0 else {
            Self.skip("no Python with kafka-python (pip install kafka-python)")
            return
        }
        let (server, port) = try Self.startServer()
        defer { try? server.close().wait() }
        let script = """
            from kafka import KafkaAdminClient
            admin = KafkaAdminClient(bootstrap_servers='127.0.0.1:\(port)', request_timeout_ms=30000)
            print(sorted(admin.list_topics()))
            admin.close()
            """
        let (status, output) = try await Self.runOffPool(python, ["-c", script])
        #expect(status == 0, "\(output)")
        #expect(output.contains("'t'"), "\(output)")
    }
}
