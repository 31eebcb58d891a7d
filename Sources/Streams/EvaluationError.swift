/// A failure evaluating an expression on one row: a division by zero, a bad cast, a function refusing its input.
/// As in ksqlDB, the row's result becomes NULL and the error goes to the processing log; the query goes on.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PostgreSQL's SQLSTATE for the condition (22012 division by zero, 22P02 bad text, 22003 out of range, …).
    public var sqlState: String
    public var message: String

    public init(_ sqlState: String, _ message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    public static func invalidArgument(_ message: String) -> EvaluationError { EvaluationError("22023", message) }

    public var description: String { message }
}
