import NIOCore

/// 'f': the frontend aborts COPY FROM STDIN with a reason. PostgreSQL protocol docs, "CopyFail (F)".
public struct CopyFail: Sendable, Hashable {
    public var message: String
    public init(message: String) { self.message = message }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> CopyFail {
        let fail = CopyFail(message: try buffer.readCString())
        try buffer.expectFullyRead("CopyFail")
        return fail
    }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeCString(message) }
}
