/// The rows a catalog statement produced, every value in PostgreSQL's text format (bool "t"/"f",
/// arrays "{a,b}", regclass as the relation name) or nil for SQL NULL.
public struct PGCatalogResult: Sendable {
    /// Column names as PostgreSQL would label them, with the PostgreSQL type oid to put in a RowDescription.
    public var columns: [(name: String, typeOID: UInt32)]
    public var rows: [[String?]]
    /// The number behind each oid-typed value (oid, regclass, regtype, regproc …), whose text is often a name;
    /// nil for other values. Binary format sends these numbers. Same shape as `rows`.
    public var oids: [[UInt32?]]

    public init(columns: [(name: String, typeOID: UInt32)], rows: [[String?]], oids: [[UInt32?]]) {
        self.columns = columns
        self.rows = rows
        self.oids = oids
    }
}
