import NIOCore

/// Splits the inbound byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes. Emits the
/// frame body (header and message) as a slice. A negative size or one above `maxFrameSize`
/// (`socket.request.max.bytes`, 100 MiB by default) throws `KafkaWireError(.frameTooLarge)`.
public struct KafkaFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameSize: Int

    public init(maxFrameSize: Int = KafkaWireConfiguration.defaultMaxRequestSize) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maxFrameSize: maxFrameSize) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }

    /// The pure framing step: the next complete frame, or nil if more bytes are needed.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameSize: Int) throws(KafkaWireError) -> ByteBuffer?
    {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard size >= 0, Int(size) <= maxFrameSize else {
            throw KafkaWireError(.frameTooLarge, "frame of \(size) bytes; the limit is \(maxFrameSize)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }
}
