import NIOCore

/// One Bind parameter: its raw bytes (nil = NULL), the format the client sent it in, and the type the
/// prepared statement gave it. `cell()` decodes the types Sluice knows; the adapter may read `value` itself.
public struct PGBindParameter: Sendable, Hashable {
    public var value: ByteBuffer?
    public var format: PGFormat
    public var typeOID: UInt32

    public init(value: ByteBuffer?, format: PGFormat, typeOID: UInt32) {
        self.value = value
        self.format = format
        self.typeOID = typeOID
    }

    /// The parameter as a `PGCell`; 22P02 when the bytes are not a valid value of the type. Unknown types
    /// (and OID 0) in text format become `.text`.
    public func cell() throws(PGError) -> PGCell {
        guard var bytes = value else { return .null }
        switch format {
        case .text: return try PGCell.parseText(bytes.readString(length: bytes.readableBytes) ?? "", typeOID: typeOID)
        case .binary: return try PGCell.decodeBinary(&bytes, typeOID: typeOID)
        }
    }
}
