import NIOCore

/// The body of a frontend 'p' message, whose meaning depends on the authentication exchange in progress:
/// PasswordMessage, SASLInitialResponse or SASLResponse. PostgreSQL protocol docs, "PasswordMessage (F)",
/// "SASLInitialResponse (F)", "SASLResponse (F)". The state machine decodes the raw body in context.
public enum AuthenticationResponse: Sendable, Hashable {
    /// Cleartext password, or `"md5" + hex` digest for MD5.
    case password(String)
    /// Mechanism name and the client-first-message (nil when the length field is -1).
    case saslInitial(mechanism: String, data: [UInt8]?)
    case sasl(data: [UInt8])

    public static func decodePassword(from buffer: inout ByteBuffer) throws(PGError) -> AuthenticationResponse {
        let password = try buffer.readCString()
        try buffer.expectFullyRead("PasswordMessage")
        return .password(password)
    }

    public static func decodeSASLInitial(from buffer: inout ByteBuffer) throws(PGError) -> AuthenticationResponse {
        let mechanism = try buffer.readCString()
        let data = try buffer.readPGNullableBytes().map { Array($0.readableBytesView) }
        try buffer.expectFullyRead("SASLInitialResponse")
        return .saslInitial(mechanism: mechanism, data: data)
    }

    public static func decodeSASL(from buffer: inout ByteBuffer) -> AuthenticationResponse {
        .sasl(data: buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .password(let password):
            buffer.writeCString(password)
        case .saslInitial(let mechanism, let data):
            buffer.writeCString(mechanism)
            buffer.writePGNullableBytes(data.map { ByteBuffer(bytes: $0) })
        case .sasl(let data):
            buffer.writeBytes(data)
        }
    }
}
