import NIOCore

/// Every message a client sends, decoded. The first packet of a connection is untyped (`startup`,
/// `sslRequest`, `gssEncryptionRequest`, `cancel`); all later ones are a Byte1 tag, an Int32 length that
/// counts itself, and a body. PostgreSQL protocol docs, "Message Formats" and "Message Flow".
public enum FrontendMessage: Sendable, Hashable {
    public static let sslRequestCode: Int32 = 80_877_103
    public static let gssEncryptionRequestCode: Int32 = 80_877_104

    // MARK: Untyped start-up packets
    case startup(StartupMessage)
    case sslRequest
    case gssEncryptionRequest
    case cancel(CancelRequest)

    // MARK: Typed messages
    /// 'p': raw body; its meaning depends on the authentication exchange (`AuthenticationResponse`).
    case authenticationResponse(ByteBuffer)
    case query(Query)
    case parse(Parse)
    case bind(Bind)
    case describe(Describe)
    case execute(Execute)
    case close(Close)
    case sync
    case flush
    case terminate
    case copyData(ByteBuffer)
    case copyDone
    case copyFail(CopyFail)

    /// Decodes an untyped start-up packet body: the Int32 code/version and what follows.
    public static func decodeStartup(from body: inout ByteBuffer) throws(PGError) -> FrontendMessage {
        let code: Int32 = try body.readPGInt()
        switch code {
        case sslRequestCode: return try emptyBody(body, .sslRequest, "SSLRequest")
        case gssEncryptionRequestCode: return try emptyBody(body, .gssEncryptionRequest, "GSSENCRequest")
        case CancelRequest.code: return .cancel(try CancelRequest.decode(from: &body))
        case _ where code >> 16 == 3:
            // 3.x: a newer minor version is negotiated down to 3.0 (NegotiateProtocolVersion).
            return .startup(try StartupMessage.decode(version: code, from: &body))
        default:
            throw PGError(
                SQLState.featureNotSupported,
                "unsupported frontend protocol \(code >> 16).\(code & 0xFFFF): server supports 3.0",
                severity: .fatal)
        }
    }

    /// Decodes a typed message body given its tag.
    public static func decode(tag: UInt8, body: inout ByteBuffer) throws(PGError) -> FrontendMessage {
        switch tag {
        case UInt8(ascii: "p"): return .authenticationResponse(body)
        case UInt8(ascii: "Q"): return .query(try Query.decode(from: &body))
        case UInt8(ascii: "P"): return .parse(try Parse.decode(from: &body))
        case UInt8(ascii: "B"): return .bind(try Bind.decode(from: &body))
        case UInt8(ascii: "D"): return .describe(try Describe.decode(from: &body))
        case UInt8(ascii: "E"): return .execute(try Execute.decode(from: &body))
        case UInt8(ascii: "C"): return .close(try Close.decode(from: &body))
        case UInt8(ascii: "S"): return try emptyBody(body, .sync, "Sync")
        case UInt8(ascii: "H"): return try emptyBody(body, .flush, "Flush")
        case UInt8(ascii: "X"): return try emptyBody(body, .terminate, "Terminate")
        case UInt8(ascii: "d"): return .copyData(body)
        case UInt8(ascii: "c"): return try emptyBody(body, .copyDone, "CopyDone")
        case UInt8(ascii: "f"): return .copyFail(try CopyFail.decode(from: &body))
        default: throw PGError.protocolViolation("invalid frontend message type \(tag)")
        }
    }

    private static func emptyBody(
        _ body: ByteBuffer, _ message: FrontendMessage, _ name: String
    ) throws(PGError) -> FrontendMessage {
        try body.expectFullyRead(name)
        return message
    }

    /// The one-byte tag of a typed message; nil for the untyped start-up packets.
    public var tag: UInt8? {
        switch self {
        case .startup, .sslRequest, .gssEncryptionRequest, .cancel: nil
        case .authenticationResponse: UInt8(ascii: "p")
        case .query: UInt8(ascii: "Q")
        case .parse: UInt8(ascii: "P")
        case .bind: UInt8(ascii: "B")
        case .describe: UInt8(ascii: "D")
        case .execute: UInt8(ascii: "E")
        case .close: UInt8(ascii: "C")
        case .sync: UInt8(ascii: "S")
        case .flush: UInt8(ascii: "H")
        case .terminate: UInt8(ascii: "X")
        case .copyData: UInt8(ascii: "d")
        case .copyDone: UInt8(ascii: "c")
        case .copyFail: UInt8(ascii: "f")
        }
    }

    /// Encodes the whole frame (the client side: used by tests and tools).
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .startup(let message): message.encode(into: &buffer)
        case .sslRequest: Self.writeCodePacket(Self.sslRequestCode, into: &buffer)
        case .gssEncryptionRequest: Self.writeCodePacket(Self.gssEncryptionRequestCode, into: &buffer)
        case .cancel(let request): request.encode(into: &buffer)
        default: encodeTyped(into: &buffer)
        }
    }

    private static func writeCodePacket(_ code: Int32, into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(8))
        buffer.writeInteger(code)
    }

    private func encodeTyped(into buffer: inout ByteBuffer) {
        guard let tag else { return }
        buffer.writeInteger(tag)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        encodeBody(into: &buffer)
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    private func encodeBody(into buffer: inout ByteBuffer) {
        switch self {
        case .authenticationResponse(var body), .copyData(var body): buffer.writeBuffer(&body)
        case .query(let message): message.encode(into: &buffer)
        case .parse(let message): message.encode(into: &buffer)
        case .bind(let message): message.encode(into: &buffer)
        case .describe(let message): message.encode(into: &buffer)
        case .execute(let message): message.encode(into: &buffer)
        case .close(let message): message.encode(into: &buffer)
        case .copyFail(let message): message.encode(into: &buffer)
        case .startup, .sslRequest, .gssEncryptionRequest, .cancel, .sync, .flush, .terminate, .copyDone: break
        }
    }
}
