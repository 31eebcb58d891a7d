import NIOCore

/// Whether Describe/Close names a prepared statement ('S') or a portal ('P').
public enum PGObjectKind: UInt8, Sendable, Hashable {
    case statement = 0x53  // 'S'
    case portal = 0x50  // 'P'

    static func decode(from buffer: inout ByteBuffer) throws(PGError) -> PGObjectKind {
        let byte: UInt8 = try buffer.readPGInt()
        guard let kind = PGObjectKind(rawValue: byte) else {
            throw PGError.protocolViolation("invalid Describe/Close target type \(byte)")
        }
        return kind
    }
}

/// 'D': describe a statement (ParameterDescription + RowDescription/NoData) or a portal (RowDescription
/// /NoData). PostgreSQL protocol docs, "Describe (F)".
public struct Describe: Sendable, Hashable {
    public var kind: PGObjectKind
    public var name: String

    public init(kind: PGObjectKind, name: String) {
        self.kind = kind
        self.name = name
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Describe {
        let describe = Describe(kind: try PGObjectKind.decode(from: &buffer), name: try buffer.readCString())
        try buffer.expectFullyRead("Describe")
        return describe
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(kind.rawValue)
        buffer.writeCString(name)
    }
}
