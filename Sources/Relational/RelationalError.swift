/// The Relational layer's error: a stable code, a message a user can act on, and for serialization
/// errors the path of the offending field (`$.ORDER.ITEMS[2]`).
///
/// The codes map one-to-one to PostgreSQL SQLSTATEs (`sqlState`), which PGWire reports unchanged.
/// Bad input (text that is not a number, a truncated JSON record, an overflowing sum) is always this
/// error, never a trap.
public struct RelationalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, stable across releases.
    public enum Code: String, Sendable, CaseIterable {
        /// Text that does not spell a value of the target type: `CAST('x' AS INT)` (SQLSTATE 22P02).
        case invalidTextRepresentation
        /// A value outside the target type's range or precision, or an arithmetic overflow (22003).
        case numericValueOutOfRange
        /// Division or modulo by zero (22012).
        case divisionByZero
        /// No cast or implicit conversion exists between the two types (42846).
        case cannotCoerce
        /// A date, time or timestamp out of range, e.g. `2021-02-30` (22008).
        case datetimeFieldOverflow
        /// A serialized record that cannot be decoded: malformed JSON, a wrong field type, a column
        /// count mismatch (22P02 too: the bytes are not a representation of the row; the engine reports
        /// these to the processing log rather than to a client).
        case malformedRecord
        /// A schema a format cannot carry, e.g. an ARRAY column in DELIMITED, a MAP with INT keys in JSON,
        /// or two value columns in KAFKA (0A000, feature not supported).
        case unsupportedSchema
    }

    public var code: Code
    public var message: String
    /// JSON-path-like location of the offending value inside a record (`$`, `$.A`, `$.A[3]`), or nil.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// The PostgreSQL SQLSTATE for this error (PostgreSQL documentation, Appendix A).
    public var sqlState: String { code.sqlState }

    public var description: String {
        guard let path else { return message }
        return "\(message), path: \(path)"
    }
}

extension RelationalError.Code {
    /// The PostgreSQL SQLSTATE (Appendix A, "PostgreSQL Error Codes").
    public var sqlState: String {
        switch self {
        case .invalidTextRepresentation: "22P02"
        case .numericValueOutOfRange: "22003"
        case .divisionByZero: "22012"
        case .cannotCoerce: "42846"
        case .datetimeFieldOverflow: "22008"
        case .malformedRecord: "22P02"
        case .unsupportedSchema: "0A000"
        }
    }
}
