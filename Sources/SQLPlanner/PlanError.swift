import SQLSyntax

/// A statement that parses but cannot be planned: an unknown name, a type mismatch, a misplaced aggregate.
/// Carries a stable code with its PostgreSQL SQLSTATE, a message naming the thing, a hint where one helps (the
/// closest existing name), and the source span of the offending part, shown as a caret by the shell and as the
/// error position over the PostgreSQL wire.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case undefinedSource, undefinedColumn, ambiguousColumn, undefinedFunction, undefinedType
        case datatypeMismatch, groupingError, windowingError, duplicateObject, duplicateColumn
        case invalidProperty, wrongObjectType, featureNotSupported, invalidParameter, numericOutOfRange, invalidTextRepresentation
        case invalidColumnReference, tooManyColumns, invalidEscapeSequence, undefinedObject

        /// PostgreSQL's SQLSTATE for the code (Appendix A of the PostgreSQL documentation).
        public var sqlState: String {
            switch self {
            case .undefinedSource: "42P01"
            case .undefinedColumn: "42703"
            case .ambiguousColumn: "42702"
            case .undefinedFunction: "42883"
            case .undefinedType: "42704"
            case .datatypeMismatch: "42804"
            case .groupingError: "42803"
            case .windowingError: "42P20"
            case .duplicateObject: "42710"
            case .duplicateColumn: "42701"
            case .invalidProperty: "22023"
            case .wrongObjectType: "42809"
            case .featureNotSupported: "0A000"
            case .invalidParameter: "22023"
            case .numericOutOfRange: "22003"
            case .invalidTextRepresentation: "22P02"
            case .invalidColumnReference: "42P10"
            case .tooManyColumns: "54011"
            case .invalidEscapeSequence: "22025"
            case .undefinedObject: "42704"
            }
        }
    }

    public var code: Code
    public var message: String
    public var hint: String?
    public var span: SourceSpan

    public init(_ code: Code, _ message: String, hint: String? = nil, at span: SourceSpan = .synthetic) {
        self.code = code
        self.message = message
        self.hint = hint
        self.span = span
    }

    public var sqlState: String { code.sqlState }

    public var description: String {
        "\(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }

    /// "did you mean X?" for the closest of `candidates` to `name`, if any is close.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        if let exact = candidates.first(where: { $0.uppercased() == name.uppercased() }) {
            return "did you mean \(exact)? Quoted names keep their case; unquoted ones are upper-cased"
        }
        return EditDistance.closest(to: name, among: candidates).map { "did you mean \($0)?" }
    }
}
