import NIOCore

/// 'R': the authentication request/result family, told apart by an Int32 code. PostgreSQL protocol docs,
/// "AuthenticationOk (B)" … "AuthenticationSASLFinal (B)" and "SASL Authentication".
public enum Authentication: Sendable, Hashable {
    case ok
    case cleartextPassword
    /// The 4-byte random salt the client mixes into its MD5 digest.
    case md5Password(salt: [UInt8])
    /// Mechanisms the server offers, e.g. `["SCRAM-SHA-256"]`.
    case sasl(mechanisms: [String])
    case saslContinue(data: [UInt8])
    case saslFinal(data: [UInt8])

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Authentication {
        let code: Int32 = try buffer.readPGInt()
        let result: Authentication
        switch code {
        case 0: result = .ok
        case 3: result = .cleartextPassword
        case 5: result = .md5Password(salt: Array(try buffer.readPGSlice(length: 4).readableBytesView))
        case 10: result = .sasl(mechanisms: try decodeMechanisms(from: &buffer))
        case 11: result = .saslContinue(data: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case 12: result = .saslFinal(data: buffer.readBytes(length: buffer.readableBytes) ?? [])
        default: throw PGError.protocolViolation("unsupported authentication code \(code)")
        }
        try buffer.expectFullyRead("Authentication")
        return result
    }

    private static func decodeMechanisms(from buffer: inout ByteBuffer) throws(PGError) -> [String] {
        var mechanisms: [String] = []
        while true {
            let name = try buffer.readCString()
            if name.isEmpty { return mechanisms }
            mechanisms.append(name)
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .ok: buffer.writeInteger(Int32(0))
        case .cleartextPassword: buffer.writeInteger(Int32(3))
        case .md5Password(let salt):
            buffer.writeInteger(Int32(5))
            buffer.writeBytes(salt)
        case .sasl(let mechanisms):
            buffer.writeInteger(Int32(10))
            for mechanism in mechanisms { buffer.writeCString(mechanism) }
            buffer.writeInteger(UInt8(0))
        case .saslContinue(let data):
            buffer.writeInteger(Int32(11))
            buffer.writeBytes(data)
        case .saslFinal(let data):
            buffer.writeInteger(Int32(12))
            buffer.writeBytes(data)
        }
    }
}
