import NIOCore

/// 'T': the columns of the rows that follow, each with its type OID and the format its values are sent
/// in. PostgreSQL protocol docs, "RowDescription (B)". Always precedes DataRow in a simple query, a
/// FETCH, and answers Describe in the extended protocol.
public struct RowDescription: Sendable, Hashable {
    /// One column and the format its values are sent in.
    public struct Field: Sendable, Hashable {
        public var column: PGColumn
        public var format: PGFormat

        public init(column: PGColumn, format: PGFormat = .text) {
            self.column = column
            self.format = format
        }
    }

    public var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    public init(columns: [PGColumn], formats: [PGFormat]? = nil) {
        fields = columns.enumerated().map { index, column in
            Field(column: column, format: formats?[index] ?? .text)
        }
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> RowDescription {
        let count: Int16 = try buffer.readPGInt()
        guard count >= 0 else { throw PGError.protocolViolation("negative RowDescription field count") }
        var fields: [Field] = []
        for _ in 0..<count { fields.append(try decodeField(from: &buffer)) }
        try buffer.expectFullyRead("RowDescription")
        return RowDescription(fields: fields)
    }

    private static func decodeField(from buffer: inout ByteBuffer) throws(PGError) -> Field {
        let name = try buffer.readCString()
        let tableOID: UInt32 = try buffer.readPGInt()
        let attribute: Int16 = try buffer.readPGInt()
        let typeOID: UInt32 = try buffer.readPGInt()
        let size: Int16 = try buffer.readPGInt()
        let modifier: Int32 = try buffer.readPGInt()
        let formatCode: Int16 = try buffer.readPGInt()
        let type = PGType.named(oid: typeOID) ?? PGType(oid: typeOID, name: "oid\(typeOID)", size: size)
        let column = PGColumn(
            name: name, type: type, typeModifier: modifier, tableOID: tableOID, attributeNumber: attribute)
        return Field(column: column, format: try PGFormat.expand([formatCode], count: 1)[0])
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(fields.count))
        for field in fields {
            buffer.writeCString(field.column.name)
            buffer.writeInteger(field.column.tableOID)
            buffer.writeInteger(field.column.attributeNumber)
            buffer.writeInteger(field.column.type.oid)
            buffer.writeInteger(field.column.type.size)
            buffer.writeInteger(field.column.typeModifier)
            buffer.writeInteger(field.format.rawValue)
        }
    }
}
