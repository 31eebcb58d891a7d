import NIOCore

/// 'C' (frontend): close a prepared statement or portal; closing a name that does not exist is not an
/// error. PostgreSQL protocol docs, "Close (F)".
public struct Close: Sendable, Hashable {
    public var kind: PGObjectKind
    public var name: String

    public init(kind: PGObjectKind, name: String) {
        self.kind = kind
        self.name = name
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Close {
        let close = Close(kind: try PGObjectKind.decode(from: &buffer), name: try buffer.readCString())
        try buffer.expectFullyRead("Close")
        return close
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(kind.rawValue)
        buffer.writeCString(name)
    }
}
