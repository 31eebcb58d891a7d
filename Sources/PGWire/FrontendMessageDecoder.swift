import NIOCore

/// Frames the client's byte stream into `FrontendMessage`s. The first packet of a connection has no type
/// byte (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest); after SSLRequest/GSSENCRequest another
/// untyped packet follows, and after a StartupMessage every message is typed. PostgreSQL protocol docs,
/// "Message Formats" and "Start-up".
///
/// A length below the minimum or above `maximumMessageSize` throws a FATAL `PGError` with SQLSTATE 08P01;
/// the handler then reports it and closes the connection. Nothing on this path traps on bad input.
public struct FrontendMessageDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = FrontendMessage

    /// PostgreSQL's own limit for a start-up packet (MAX_STARTUP_PACKET_LENGTH).
    public static let maximumStartupPacketSize = 10_000
    public static let defaultMaximumMessageSize = 64 << 20

    public let maximumMessageSize: Int
    private var expectingStartupPacket: Bool

    /// `expectingStartupPacket: false` starts in the typed phase (a connection whose start-up was handled).
    public init(
        maximumMessageSize: Int = FrontendMessageDecoder.defaultMaximumMessageSize, expectingStartupPacket: Bool = true
    ) {
        self.maximumMessageSize = maximumMessageSize
        self.expectingStartupPacket = expectingStartupPacket
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Decodes the next whole message from `buffer`, or returns nil (consuming nothing) when it is not all
    /// there yet. Usable without a channel, which is how tests and fuzzing drive it.
    public mutating func next(from buffer: inout ByteBuffer) throws(PGError) -> FrontendMessage? {
        if expectingStartupPacket { return try nextStartupPacket(from: &buffer) }
        return try nextTypedMessage(from: &buffer)
    }

    private mutating func nextStartupPacket(from buffer: inout ByteBuffer) throws(PGError) -> FrontendMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard length >= 8, length <= Self.maximumStartupPacketSize else {
            throw PGError.protocolViolation("invalid length of startup packet: \(length)")
        }
        guard var body = buffer.getSlice(at: buffer.readerIndex + 4, length: Int(length) - 4) else { return nil }
        buffer.moveReaderIndex(forwardBy: Int(length))
        let message = try FrontendMessage.decodeStartup(from: &body)
        if case .startup = message { expectingStartupPacket = false }
        return message
    }

    /// `next(from:)` appending straight to `queue`: false (consuming nothing) when no whole message is there yet.
    /// The connection handler's path: a message is decoded in place rather than copied out of an Optional.
    public mutating func next(
        from buffer: inout ByteBuffer, into queue: inout CircularBuffer<FrontendMessage>
    ) throws(PGError) -> Bool {
        if expectingStartupPacket {
            guard let message = try nextStartupPacket(from: &buffer) else { return false }
            queue.append(message)
            return true
        }
        guard let (tag, body) = try nextTypedFrame(from: &buffer) else { return false }
        var bytes = body
        queue.append(try FrontendMessage.decode(tag: tag, body: &bytes))
        return true
    }

    private func nextTypedMessage(from buffer: inout ByteBuffer) throws(PGError) -> FrontendMessage? {
        guard let (tag, body) = try nextTypedFrame(from: &buffer) else { return nil }
        var bytes = body
        return try FrontendMessage.decode(tag: tag, body: &bytes)
    }

    /// The next typed message's tag and body, once all of it is in `buffer`.
    private func nextTypedFrame(from buffer: inout ByteBuffer) throws(PGError) -> (UInt8, ByteBuffer)? {
        let start = buffer.readerIndex
        guard let tag = buffer.getInteger(at: start, as: UInt8.self),
            let length = buffer.getInteger(at: start + 1, as: Int32.self)
        else { return nil }
        guard length >= 4 else { throw PGError.protocolViolation("invalid message length \(length)") }
        guard Int(length) <= maximumMessageSize else {
            throw PGError(
                SQLState.protocolViolation,
                "message of \(length) bytes exceeds the maximum of \(maximumMessageSize) bytes",
                severity: .fatal)
        }
        guard let body = buffer.getSlice(at: start + 5, length: Int(length) - 4) else { return nil }
        buffer.moveReaderIndex(forwardBy: Int(length) + 1)
        return (tag, body)
    }
}
