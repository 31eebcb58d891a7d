/// The ordered columns of a relation (a stream, a table, or an operator's output).
///
/// Column order is the logical order of `SELECT *`; rows and batches store values in this order.
/// Names are unique (case-sensitive). Lookups are linear, which beats hashing for the handful of
/// columns real schemas have and is done once per query at plan time, never per record.
public struct Schema: Sendable, Hashable, Codable, CustomStringConvertible {
    public private(set) var columns: [Column]

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public var count: Int { columns.count }

    public subscript(index: Int) -> Column { columns[index] }

    /// The index of the column named exactly `name`.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The column named exactly `name`.
    public func column(named name: String) -> Column? {
        index(of: name).map { columns[$0] }
    }

    /// Indices of the columns with a role, in schema order (e.g. the key columns a key format encodes).
    public func indices(role: Column.Role) -> [Int] {
        columns.indices.filter { columns[$0].role == role }
    }

    /// How many columns have `role` (no array of them is built).
    public func count(role: Column.Role) -> Int {
        var n = 0
        for i in columns.indices where columns[i].role == role { n += 1 }
        return n
    }

    /// The columns with a role, in schema order.
    public func columns(role: Column.Role) -> [Column] {
        columns.filter { $0.role == role }
    }

    /// Appends a column; names must stay unique (a duplicate is a binder bug).
    public mutating func append(_ column: Column) {
        precondition(index(of: column.name) == nil, "duplicate column \(column.name)")
        columns.append(column)
    }

    /// ksqlDB's pseudo-columns with their types (sql-features.md §3, SystemColumns.java).
    public static let rowtime = Column("ROWTIME", .bigint, role: .pseudo)
    public static let rowpartition = Column("ROWPARTITION", .int, role: .pseudo)
    public static let rowoffset = Column("ROWOFFSET", .bigint, role: .pseudo)
    public static let windowstart = Column("WINDOWSTART", .bigint, role: .pseudo)
    public static let windowend = Column("WINDOWEND", .bigint, role: .pseudo)

    public var description: String {
        "(\(columns.map(\.description).joined(separator: ", ")))"
    }
}
