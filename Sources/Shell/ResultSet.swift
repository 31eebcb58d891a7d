/// A query result as text, the way libpq hands it over: column names and rows of optional strings (nil is SQL NULL).
public struct ResultSet: Hashable, Sendable {
    public var columns: [String]
    public var rows: [[String?]]

    public init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// How results are printed: `OUTPUT TABULAR|JSON|CSV` in the shell (ksqlDB's CLI words), `\x` for expanded rows.
public enum OutputFormat: String, Hashable, Sendable, CaseIterable {
    case tabular = "TABULAR"
    case json = "JSON"
    case csv = "CSV"
}
