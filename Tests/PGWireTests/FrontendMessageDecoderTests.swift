import NIOCore
import NIOEmbedded
import NIOTestUtils
import PGWire
import Testing

@Suite struct FrontendMessageDecoderTests {
    static var conversation: ByteBuffer {
        var buffer = ByteBuffer()
        for (message, _) in MessageCodecTests.startupGolden.prefix(1) + MessageCodecTests.frontendGolden {
            message.encode(into: &buffer)
        }
        return buffer
    }

    static var expected: [FrontendMessage] {
        (MessageCodecTests.startupGolden.prefix(1) + MessageCodecTests.frontendGolden).map(\.0)
    }

    @Test func decodesAllAtOnceByteByByteAndMessageByMessage() throws {
        var allAtOnce = FrontendMessageDecoder()
        var whole = Self.conversation
        var decoded: [FrontendMessage] = []
        while let message = try allAtOnce.next(from: &whole) { decoded.append(message) }
        #expect(decoded == Self.expected)

        var byteByByte = FrontendMessageDecoder()
        var pending = ByteBuffer()
        decoded = []
        for byte in Self.conversation.readableBytesView {
            pending.writeInteger(byte)
            while let message = try byteByByte.next(from: &pending) { decoded.append(message) }
        }
        #expect(decoded == Self.expected)

        var messageByMessage = FrontendMessageDecoder()
        decoded = []
        for message in Self.expected {
            var frame = message.bytes
            while let decodedMessage = try messageByMessage.next(from: &frame) { decoded.append(decodedMessage) }
            #expect(frame.readableBytes == 0)
        }
        #expect(decoded == Self.expected)
    }

    @Test func verifierAcceptsEveryChunking() throws {
        // The verifier feeds input all at once, byte by byte and in random chunks through one decoder, so
        // it verifies the typed phase (the start-up packet is covered by the test above).
        var typed = ByteBuffer()
        for (message, _) in MessageCodecTests.frontendGolden { message.encode(into: &typed) }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(typed, MessageCodecTests.frontendGolden.map(\.0))],
            decoderFactory: { FrontendMessageDecoder(expectingStartupPacket: false) })
    }

    @Test func sslRequestKeepsTheDecoderInStartupMode() throws {
        var decoder = FrontendMessageDecoder()
        var buffer = ByteBuffer()
        FrontendMessage.sslRequest.encode(into: &buffer)
        FrontendMessage.startup(StartupMessage(parameters: ["user": "u"])).encode(into: &buffer)
        FrontendMessage.sync.encode(into: &buffer)
        #expect(try decoder.next(from: &buffer) == .sslRequest)
        #expect(try decoder.next(from: &buffer) == .startup(StartupMessage(parameters: ["user": "u"])))
        #expect(try decoder.next(from: &buffer) == .sync)
    }

    static func decodeError(_ bytes: [UInt8], afterStartup: Bool = true, maximum: Int = 1 << 20) -> PGError? {
        var decoder = FrontendMessageDecoder(maximumMessageSize: maximum)
        var buffer = ByteBuffer()
        if afterStartup { FrontendMessage.startup(StartupMessage(parameters: ["user": "u"])).encode(into: &buffer) }
        buffer.writeBytes(bytes)
        do {
            while try decoder.next(from: &buffer) != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func malformedMessagesAreProtocolViolations() {
        let s = MessageCodecTests.s, i32 = MessageCodecTests.i32, i16 = MessageCodecTests.i16
        let cases: [[UInt8]] = [
            [UInt8(ascii: "Z")] + i32(4),  // unknown frontend type
            [UInt8(ascii: "Q")] + i32(3),  // length below 4
            [UInt8(ascii: "Q")] + i32(7) + Array("abc".utf8),  // string without NUL
            [UInt8(ascii: "S")] + i32(5) + [0],  // trailing byte
            [UInt8(ascii: "B")] + i32(10) + s("") + s("") + i16(-1) + [0, 0],  // negative count
            [UInt8(ascii: "D")] + i32(6) + [0x58, 0],  // bad Describe kind
            [UInt8(ascii: "E")] + i32(6) + s("p"),  // Execute missing max_rows
        ]
        for bytes in cases {
            let error = Self.decodeError(bytes)
            #expect(error?.code == SQLState.protocolViolation, "\(bytes)")
        }
        #expect(Self.decodeError(i32(4) + i32(196_608), afterStartup: false)?.code == SQLState.protocolViolation)
        #expect(Self.decodeError(i32(100_000) + i32(196_608), afterStartup: false)?.code == SQLState.protocolViolation)
        #expect(Self.decodeError(i32(8) + i32(0x0002_0000), afterStartup: false)?.code == SQLState.featureNotSupported)
    }

    @Test func oversizedMessageIsRejectedBeforeItArrives() {
        let error = Self.decodeError([UInt8(ascii: "Q")] + MessageCodecTests.i32(2_000_000), maximum: 1 << 20)
        #expect(error?.code == SQLState.protocolViolation)
        #expect(error?.severity == .fatal)
        #expect(error?.message.contains("exceeds the maximum") == true)
    }

    @Test func oversizedMessageOnAChannelGets08P01AndClose() async throws {
        let channel = EmbeddedChannel()
        let configuration = PGWirePipeline.Configuration(maximumMessageSize: 1024)
        try PGWirePipeline.addHandlers(
            to: channel.pipeline.syncOperations, configuration: configuration, registry: PGCancelRegistry(),
            session: TestSession())
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        var input = ByteBuffer()
        FrontendMessage.startup(StartupMessage(parameters: ["user": "u", "database": "sluice"])).encode(into: &input)
        input.writeInteger(UInt8(ascii: "Q"))
        input.writeInteger(Int32(5000))
        _ = try? channel.writeInbound(input)
        // The startup runs the session in a Task; the oversized frame fails the decoder at once.
        var output: [BackendMessage] = []
        for _ in 0..<200 where !output.contains(where: { $0.errorFields != nil }) {
            channel.embeddedEventLoop.run()
            while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
                output += try BackendFrames.decode(&buffer)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let error = output.compactMap(\.errorFields).first
        #expect(error?.code == SQLState.protocolViolation)
        #expect(error?.severity == .fatal)
        #expect(!channel.isActive)
    }

    /// The handler frames messages itself: a query that arrived in the same read as a bad frame is answered before
    /// the bad frame's 08P01, as PostgreSQL reads them in order.
    @Test func messagesBeforeABadFrameAreAnsweredFirst() async throws {
        let channel = EmbeddedChannel()
        try PGWirePipeline.addHandlers(
            to: channel.pipeline.syncOperations, configuration: PGWirePipeline.Configuration(maximumMessageSize: 1024),
            registry: PGCancelRegistry(), session: TestSession(immediate: true))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        var input = ByteBuffer()
        FrontendMessage.startup(StartupMessage(parameters: ["user": "u", "database": "sluice"])).encode(into: &input)
        FrontendMessage.query(Query(sql: "SELECT 1")).encode(into: &input)
        input.writeInteger(UInt8(ascii: "Q"))
        input.writeInteger(Int32(5000))  // over the 1024-byte maximum
        _ = try? channel.writeInbound(input)
        var output: [BackendMessage] = []
        for _ in 0..<200 where !output.contains(where: { $0.errorFields != nil }) {
            channel.embeddedEventLoop.run()
            channel.pipeline.fireChannelReadComplete()
            while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
                output += try BackendFrames.decode(&buffer)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let answered = output.firstIndex { if case .commandComplete("SELECT 1") = $0 { true } else { false } }
        let failed = output.firstIndex { $0.errorFields != nil }
        #expect(answered != nil)
        #expect(failed != nil)
        if let answered, let failed { #expect(answered < failed) }
        #expect(output.compactMap(\.errorFields).first?.code == SQLState.protocolViolation)
        #expect(!channel.isActive)
    }
}
