import KafkaWire
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// A handler that answers Heartbeat with errorCode = generationId, after sleeping generationId milliseconds;
/// Metadata with one broker; Produce by counting; throws on DeleteTopics.
final class StubHandler: KafkaRequestHandler {
    let produceCalls = Atomic<Int>(0)
    /// The port Metadata advertises for broker 1 (set to the real port in socket tests).
    let advertisedPort = Atomic<Int32>(9092)

    init() {}

    func handle(_ request: KafkaRequest, context: KafkaRequestContext) async throws -> KafkaResponse {
        switch request {
        case .heartbeat(let heartbeat):
            try await Task.sleep(for: .milliseconds(Int(heartbeat.generationId)))
            return .heartbeat(HeartbeatResponse(errorCode: Int16(heartbeat.generationId)))
        case .metadata:
            return .metadata(
                MetadataResponse(
                    brokers: [.init(nodeId: 1, host: "127.0.0.1", port: advertisedPort.load(ordering: .relaxed))],
                    clusterId: "sluice", controllerId: 1,
                    topics: [
                        .init(
                            name: "t",
                            partitions: [.init(partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1])])
                    ]))
        case .produce(let produce):
            produceCalls.add(1, ordering: .relaxed)
            return .produce(ProduceResponse(answering: produce, errorCode: .none))
        case .deleteTopics:
            struct Boom: Error {}
            throw Boom()
        default:
            return .heartbeat(HeartbeatResponse())
        }
    }
}

final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

@Suite struct KafkaServerHandlerTests {
    func makeChannel(
        handler: any KafkaRequestHandler = StubHandler(), log: LogLines = LogLines(),
        configure: (inout KafkaWireConfiguration) -> Void = { _ in }
    ) async throws -> NIOAsyncTestingChannel {
        var configuration = KafkaWireConfiguration()
        configuration.log = { log.append($0) }
        configure(&configuration)
        let channel = NIOAsyncTestingChannel()
        let config = configuration
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addKafkaServerHandlers(handler: handler, configuration: config)
        }.get()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    @Test func answersApiVersionsV3() async throws {
        let channel = try await makeChannel()
        try await channel.writeInbound(
            requestFrame(
                .apiVersions(ApiVersionsRequest(clientSoftwareName: "t", clientSoftwareVersion: "1")), version: 3,
                correlationID: 7))
        let frame = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let (id, response) = try parseResponse(frame, apiKey: .apiVersions, version: 3)
        #expect(id == 7)
        guard case .apiVersions(let body) = response else { Issue.record("not ApiVersions"); return }
        #expect(body.errorCode == 0)
        let produce = body.apiKeys.first { $0.apiKey == KafkaAPIKey.produce.rawValue }
        #expect(produce?.minVersion == 0 && produce?.maxVersion == 8)
        #expect(body.apiKeys.contains { $0.apiKey == 18 && $0.maxVersion == 4 })
        _ = try? await channel.finish()
    }

    @Test func apiVersionsFallbackAnswersAtV0() async throws {
        let channel = try await makeChannel()
        // ApiVersions v9 (flexible header v2, empty flexible body: tag count only).
        var body = ByteBuffer()
        KafkaRequestHeader(apiKey: 18, apiVersion: 9, correlationID: 3, clientID: "x").encode(into: &body)
        body.writeBytes([0x01, 0x01, 0x00])
        var frame = ByteBuffer()
        frame.writeInteger(Int32(body.readableBytes))
        frame.writeImmutableBuffer(body)
        try await channel.writeInbound(frame)
        let out = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let (id, response) = try parseResponse(out, apiKey: .apiVersions, version: 0)
        #expect(id == 3)
        guard case .apiVersions(let answer) = response else { Issue.record("not ApiVersions"); return }
        #expect(answer.errorCode == KafkaErrorCode.unsupportedVersion.rawValue)
        #expect(answer.apiKeys.contains { $0.apiKey == 18 && $0.minVersion == 0 })
        _ = try? await channel.finish()
    }

    @Test func responsesAreWrittenInRequestOrder() async throws {
        let channel = try await makeChannel { $0.maxConcurrentRequestsPerConnection = 4 }
        // The first request takes longest; an ApiVersions request (answered by the wire layer at once) comes
        // between handler requests and must still wait its turn.
        try await channel.writeInbound(
            requestFrame(.heartbeat(HeartbeatRequest(generationId: 300)), version: 3, correlationID: 1))
        try await channel.writeInbound(requestFrame(.apiVersions(ApiVersionsRequest()), version: 0, correlationID: 2))
        try await channel.writeInbound(
            requestFrame(.heartbeat(HeartbeatRequest(generationId: 1)), version: 3, correlationID: 3))
        try await channel.writeInbound(
            requestFrame(.heartbeat(HeartbeatRequest(generationId: 50)), version: 0, correlationID: 4))
        var ids: [Int32] = []
        for _ in 0..<4 {
            let frame = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            ids.append(correlationID(of: frame) ?? -1)
        }
        #expect(ids == [1, 2, 3, 4])
        _ = try? await channel.finish()
    }

    @Test func apiVersionsAfterAnsweredApiVersionsAndThenARequest() async throws {
        let channel = try await makeChannel()
        try await channel.writeInbound(requestFrame(.apiVersions(ApiVersionsRequest()), version: 0, correlationID: 1))
        let first = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(correlationID(of: first) == 1)
        try await channel.writeInbound(
            requestFrame(.metadata(MetadataRequest(topics: nil)), version: 8, correlationID: 2))
        let second = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let (id, response) = try parseResponse(second, apiKey: .metadata, version: 8)
        #expect(id == 2)
        guard case .metadata(let metadata) = response else { Issue.record("not Metadata"); return }
        #expect(metadata.topics.first?.name == "t")
        _ = try? await channel.finish()
    }

    @Test func produceWithAcksZeroGetsNoResponse() async throws {
        let handler = StubHandler()
        let channel = try await makeChannel(handler: handler)
        let produce = ProduceRequest(
            acks: 0, timeoutMs: 1000,
            topicData: [.init(name: "t", partitionData: [.init(index: 0, records: ByteBuffer(bytes: [1, 2, 3]))])])
        try await channel.writeInbound(requestFrame(.produce(produce), version: 8, correlationID: 1))
        try await channel.writeInbound(requestFrame(.heartbeat(HeartbeatRequest()), version: 0, correlationID: 2))
        let frame = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(correlationID(of: frame) == 2)
        #expect(handler.produceCalls.load(ordering: .relaxed) == 1)
        _ = try? await channel.finish()
    }

    @Test func produceWithAcksOneIsAnswered() async throws {
        let channel = try await makeChannel()
        let produce = ProduceRequest(
            acks: 1, timeoutMs: 1000,
            topicData: [.init(name: "t", partitionData: [.init(index: 0, records: ByteBuffer(bytes: [1]))])])
        try await channel.writeInbound(requestFrame(.produce(produce), version: 7, correlationID: 5))
        let (id, response) = try parseResponse(
            try await channel.waitForOutboundWrite(as: ByteBuffer.self), apiKey: .produce, version: 7)
        #expect(id == 5)
        guard case .produce(let body) = response else { Issue.record("not Produce"); return }
        #expect(body.responses.first?.partitionResponses.first?.baseOffset == -1)
        _ = try? await channel.finish()
    }

    @Test func produceV2ClosesTheConnection() async throws {
        let log = LogLines()
        let channel = try await makeChannel(log: log)
        var body = ByteBuffer()
        KafkaRequestHeader(apiKey: 0, apiVersion: 2, correlationID: 1, clientID: nil).encode(into: &body)
        body.writeBytes([0, 1, 0, 0, 0, 100, 0, 0, 0, 0])
        var frame = ByteBuffer()
        frame.writeInteger(Int32(body.readableBytes))
        frame.writeImmutableBuffer(body)
        try await channel.writeInbound(frame)
        try await channel.closeFuture.get()
        #expect(log.all.count == 1)
    }

    @Test(arguments: [
        [0x00, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00] as [UInt8],  // truncated header
        [0x00, 0x00, 0x00, 0x08, 0x00, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],  // unknown API 99
        [0x7F, 0xFF, 0xFF, 0xFF],  // oversize
        [0xFF, 0xFF, 0xFF, 0xFF],  // negative size
        // Metadata v1 whose topic count is cut short.
        [0x00, 0x00, 0x00, 0x0C, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0x7F, 0xFF],
    ])
    func malformedFramesCloseTheConnection(bytes: [UInt8]) async throws {
        let log = LogLines()
        let channel = try await makeChannel(log: log)
        try? await channel.writeInbound(ByteBuffer(bytes: bytes))
        try await channel.closeFuture.get()
        #expect(log.all.count == 1, "\(log.all)")
    }

    @Test func handlerThrowClosesTheConnection() async throws {
        let log = LogLines()
        let channel = try await makeChannel(log: log)
        try await channel.writeInbound(
            requestFrame(.deleteTopics(DeleteTopicsRequest(topicNames: ["t"])), version: 1, correlationID: 1))
        try await channel.closeFuture.get()
        #expect(log.all.first?.contains("threw") == true)
    }

    @Test func removedAPIsAreNotAdvertisedAndCloseTheConnection() async throws {
        let log = LogLines()
        let channel = try await makeChannel(log: log) { $0.apiVersions = KafkaAPIVersions.default.removing(.fetch) }
        try await channel.writeInbound(requestFrame(.apiVersions(ApiVersionsRequest()), version: 0, correlationID: 1))
        let (_, response) = try parseResponse(
            try await channel.waitForOutboundWrite(as: ByteBuffer.self), apiKey: .apiVersions, version: 0)
        guard case .apiVersions(let body) = response else { Issue.record("not ApiVersions"); return }
        #expect(!body.apiKeys.contains { $0.apiKey == KafkaAPIKey.fetch.rawValue })
        #expect(body.apiKeys.contains { $0.apiKey == KafkaAPIKey.metadata.rawValue })
        try await channel.writeInbound(requestFrame(.fetch(FetchRequest()), version: 4, correlationID: 2))
        try await channel.closeFuture.get()
        #expect(log.all.count == 1)
    }

    @Test func unsupportedVersionOfAnotherAPIClosesTheConnection() async throws {
        let log = LogLines()
        let channel = try await makeChannel(log: log)
        var body = ByteBuffer()
        KafkaRequestHeader(apiKey: KafkaAPIKey.fetch.rawValue, apiVersion: 3, correlationID: 1, clientID: nil)
            .encode(into: &body)
        var frame = ByteBuffer()
        frame.writeInteger(Int32(body.readableBytes))
        frame.writeImmutableBuffer(body)
        try await channel.writeInbound(frame)
        try await channel.closeFuture.get()
        #expect(log.all.first?.contains("Fetch v3") == true, "\(log.all)")
    }
}
