/// A PostgreSQL data type as the wire sees it: its OID (fixed by PostgreSQL's catalog, `pg_type.oid`),
/// its `typlen` (-1 variable, -2 C string) and, for element types, the OID of its array type.
public struct PGType: Sendable, Hashable, CustomStringConvertible {
    public var oid: UInt32
    public var name: String
    public var size: Int16
    /// The `_name` array type's OID, or 0 when this is itself an array or has none.
    public var arrayOID: UInt32
    /// For array types, the element type's OID, else 0.
    public var elementOID: UInt32

    public init(oid: UInt32, name: String, size: Int16, arrayOID: UInt32 = 0, elementOID: UInt32 = 0) {
        self.oid = oid
        self.name = name
        self.size = size
        self.arrayOID = arrayOID
        self.elementOID = elementOID
    }

    public var description: String { name }

    public static let bool = PGType(oid: 16, name: "bool", size: 1, arrayOID: 1000)
    public static let bytea = PGType(oid: 17, name: "bytea", size: -1, arrayOID: 1001)
    public static let int8 = PGType(oid: 20, name: "int8", size: 8, arrayOID: 1016)
    public static let int2 = PGType(oid: 21, name: "int2", size: 2, arrayOID: 1005)
    public static let int4 = PGType(oid: 23, name: "int4", size: 4, arrayOID: 1007)
    public static let text = PGType(oid: 25, name: "text", size: -1, arrayOID: 1009)
    public static let oid = PGType(oid: 26, name: "oid", size: 4, arrayOID: 1028)
    public static let json = PGType(oid: 114, name: "json", size: -1, arrayOID: 199)
    public static let float4 = PGType(oid: 700, name: "float4", size: 4, arrayOID: 1021)
    public static let float8 = PGType(oid: 701, name: "float8", size: 8, arrayOID: 1022)
    public static let unknown = PGType(oid: 705, name: "unknown", size: -2)
    public static let varchar = PGType(oid: 1043, name: "varchar", size: -1, arrayOID: 1015)
    public static let date = PGType(oid: 1082, name: "date", size: 4, arrayOID: 1182)
    public static let time = PGType(oid: 1083, name: "time", size: 8, arrayOID: 1183)
    public static let timestamp = PGType(oid: 1114, name: "timestamp", size: 8, arrayOID: 1115)
    public static let timestamptz = PGType(oid: 1184, name: "timestamptz", size: 8, arrayOID: 1185)
    public static let numeric = PGType(oid: 1700, name: "numeric", size: -1, arrayOID: 1231)
    public static let jsonb = PGType(oid: 3802, name: "jsonb", size: -1, arrayOID: 3807)
    /// The result type of functions that return nothing (`pg_sleep`); its value is empty in both formats.
    public static let void = PGType(oid: 2278, name: "void", size: 4)

    /// The element types Sluice returns, by OID.
    public static let builtins: [PGType] = [
        .bool, .bytea, .int8, .int2, .int4, .text, .oid, .json, .float4, .float8, .varchar, .date, .time,
        .timestamp, .timestamptz, .numeric, .jsonb,
    ]

    /// The array type of this element type (`_int4` for `int4`).
    public var array: PGType {
        PGType(oid: arrayOID, name: "_" + name, size: -1, elementOID: oid)
    }

    /// Looks up a built-in element or array type by OID.
    public static func named(oid: UInt32) -> PGType? {
        if let type = builtins.first(where: { $0.oid == oid }) { return type }
        return builtins.first(where: { $0.arrayOID == oid })?.array
    }
}
