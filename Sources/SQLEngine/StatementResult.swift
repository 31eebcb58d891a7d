import Relational

/// What one statement returned.
public enum StatementResult: Sendable {
    /// A command that changes things; `tag` is the PostgreSQL command tag (CREATE STREAM, INSERT 0 1, …) and
    /// `message` a line for people (shown by the shell).
    case command(tag: String, message: String?)
    /// A finite result: pull queries, SHOW, DESCRIBE, EXPLAIN.
    case rows(ResultSet)
    /// A push query: rows arrive until LIMIT, cancel or close.
    case push(PushQuery)
}

/// Columns and rows of a finite result.
public struct ResultSet: Sendable, Equatable {
    public var columns: [Column]
    public var rows: [[Value]]

    public init(columns: [Column], rows: [[Value]]) {
        self.columns = columns
        self.rows = rows
    }

    /// A one-column text result (EXPLAIN, DESCRIBE FUNCTION).
    static func text(_ name: String, lines: [String]) -> ResultSet {
        ResultSet(columns: [Column(name, .string)], rows: lines.map { [.string($0)] })
    }
}
