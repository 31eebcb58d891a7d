import NIOCore

/// 'K': the process id and secret key a client must quote in a CancelRequest for this session.
/// PostgreSQL protocol docs, "BackendKeyData (B)".
public struct BackendKeyData: Sendable, Hashable {
    public var processID: Int32
    public var secretKey: Int32

    public init(processID: Int32, secretKey: Int32) {
        self.processID = processID
        self.secretKey = secretKey
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> BackendKeyData {
        let key = BackendKeyData(processID: try buffer.readPGInt(), secretKey: try buffer.readPGInt())
        try buffer.expectFullyRead("BackendKeyData")
        return key
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(processID)
        buffer.writeInteger(secretKey)
    }
}
