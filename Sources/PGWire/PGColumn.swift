/// One result column as RowDescription reports it. PostgreSQL protocol docs, "RowDescription (B)":
/// table OID and attribute number are 0 when the column is not a plain table column.
public struct PGColumn: Sendable, Hashable {
    public var name: String
    public var type: PGType
    public var typeModifier: Int32
    public var tableOID: UInt32
    public var attributeNumber: Int16

    public init(name: String, type: PGType, typeModifier: Int32 = -1, tableOID: UInt32 = 0, attributeNumber: Int16 = 0)
    {
        self.name = name
        self.type = type
        self.typeModifier = typeModifier
        self.tableOID = tableOID
        self.attributeNumber = attributeNumber
    }
}
