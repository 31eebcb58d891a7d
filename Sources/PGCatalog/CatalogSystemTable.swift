/// One emulated system relation: its schema-qualified name, PostgreSQL's column names and types, and how to
/// build its rows from a `CatalogModel` (missing columns in a row are NULL).
struct CatalogSystemTable: Sendable {
    typealias Row = [String: CatalogValue]

    var schema: String
    var name: String
    var columns: [(String, UInt32)]
    var isView: Bool
    var wellKnownOID: UInt32?
    var rows: @Sendable (CatalogModel) -> [Row]

    /// `spec` is "name type, name type, …" with PostgreSQL type names (`oid`, `name`, `text[]`, `int2vector`).
    init(
        _ schema: String, _ name: String, _ spec: String, view: Bool = false, oid: UInt32? = nil,
        rows: @escaping @Sendable (CatalogModel) -> [Row] = { _ in [] }
    ) {
        self.schema = schema
        self.name = name
        self.columns = Self.parse(spec)
        self.isView = view
        self.wellKnownOID = oid
        self.rows = rows
    }

    private static func parse(_ spec: String) -> [(String, UInt32)] {
        spec.split(separator: ",").map { part in
            let words = part.split(separator: " ").map(String.init)
            let name = words.first ?? "?"
            let type = words.dropFirst().joined(separator: " ")
            let oid: UInt32
            if type.hasSuffix("[]") {
                let base = PGBuiltinType.byName[String(type.dropLast(2))] ?? 25
                oid = PGBuiltinType.byOID[base]?.array ?? PGTypeOID.textArray
            } else {
                oid = PGBuiltinType.byName[type] ?? 25
            }
            return (name, oid)
        }
    }

    /// The rows in column order.
    func rowSet(_ model: CatalogModel) -> [[CatalogValue]] {
        rows(model).map { row in columns.map { row[$0.0] ?? .null } }
    }
}
