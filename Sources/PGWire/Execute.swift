import NIOCore

/// 'E' (frontend): run a portal, returning at most `maxRows` rows (0 = no limit) before PortalSuspended.
/// PostgreSQL protocol docs, "Execute (F)".
public struct Execute: Sendable, Hashable {
    public var portal: String
    public var maxRows: Int32

    public init(portal: String, maxRows: Int32 = 0) {
        self.portal = portal
        self.maxRows = maxRows
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Execute {
        let execute = Execute(portal: try buffer.readCString(), maxRows: try buffer.readPGInt())
        try buffer.expectFullyRead("Execute")
        return execute
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCString(portal)
        buffer.writeInteger(maxRows)
    }
}
