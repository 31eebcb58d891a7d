/// The one error type of the PostgreSQL-wire layer, and the only place errors become `ErrorResponse`
/// (or `NoticeResponse`) fields. PostgreSQL protocol docs, "Error and Notice Message Fields".
///
/// Session implementations throw `PGError` for anything the client should see; any other error reaching
/// PGWire is reported as `XX000` with its description, which is a bug to fix in the adapter.
public struct PGError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `S`/`V` field: ERROR, FATAL, PANIC for errors; WARNING, NOTICE, DEBUG, INFO, LOG for notices.
    public enum Severity: String, Sendable, Hashable {
        case error = "ERROR", fatal = "FATAL", panic = "PANIC"
        case warning = "WARNING", notice = "NOTICE", debug = "DEBUG", info = "INFO", log = "LOG"
    }

    public var severity: Severity
    /// Five-character SQLSTATE (`C` field); see `SQLState`.
    public var code: String
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the query string (`P` field), as PostgreSQL counts it.
    public var position: Int?
    /// Any further fields by their one-byte code (`W` where, `s` schema, `t` table, `c` column, `n`
    /// constraint, `d` data type, `F` file, `L` line, `R` routine, `p`/`q` internal position/query).
    public var otherFields: [UInt8: String]

    public init(
        _ code: String, _ message: String, severity: Severity = .error, detail: String? = nil,
        hint: String? = nil, position: Int? = nil, otherFields: [UInt8: String] = [:]
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.otherFields = otherFields
    }

    public var description: String { "\(severity.rawValue): \(message) (SQLSTATE \(code))" }

    /// A malformed or unexpected message: 08P01, after which the connection is closed.
    public static func protocolViolation(_ message: String) -> PGError {
        PGError(SQLState.protocolViolation, message, severity: .fatal)
    }

    public static var queryCanceled: PGError { PGError(SQLState.queryCanceled, SQLState.queryCanceledMessage) }

    /// Wraps an error that is not a `PGError` (an adapter bug) so the client still gets a response.
    public static func wrapping(_ error: any Error) -> PGError {
        if let error = error as? PGError { return error }
        return PGError(SQLState.internalError, "internal error: \(error)")
    }
}
