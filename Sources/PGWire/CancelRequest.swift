import NIOCore

/// Sent on a new connection instead of a StartupMessage to cancel the running statement of another
/// backend: Int32 16, Int32 80877102, Int32 process id, Int32 secret key. PostgreSQL protocol docs,
/// "CancelRequest (F)" and "Canceling Requests in Progress".
public struct CancelRequest: Sendable, Hashable {
    public static let code: Int32 = 80_877_102
    public var processID: Int32
    public var secretKey: Int32

    public init(processID: Int32, secretKey: Int32) {
        self.processID = processID
        self.secretKey = secretKey
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> CancelRequest {
        let request = CancelRequest(processID: try buffer.readPGInt(), secretKey: try buffer.readPGInt())
        try buffer.expectFullyRead("CancelRequest")
        return request
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(16))
        buffer.writeInteger(CancelRequest.code)
        buffer.writeInteger(processID)
        buffer.writeInteger(secretKey)
    }
}
