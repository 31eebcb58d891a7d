/// A catalog statement that could not run, with PostgreSQL's SQLSTATE so clients can branch on it:
/// 42601 syntax error, 42P01 unknown relation, 42703 unknown column, 42883 unknown function,
/// 42704 unknown object in a reg* cast or setting, 22P02 bad text for a type, 0A000 unsupported construct,
/// 54001 a query too deep or too large for the emulation.
public struct PGCatalogError: Error, Sendable, Equatable {
    public var sqlState: String
    public var message: String
    /// 1-based character offset into the statement text, where the problem was found.
    public var position: Int?

    public init(sqlState: String, message: String, position: Int? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.position = position
    }

    static func syntax(_ message: String, at position: Int?) -> PGCatalogError {
        PGCatalogError(sqlState: "42601", message: message, position: position)
    }

    static func unsupported(_ message: String, at position: Int? = nil) -> PGCatalogError {
        PGCatalogError(sqlState: "0A000", message: message, position: position)
    }

    static func invalidText(_ text: String, type: String) -> PGCatalogError {
        PGCatalogError(sqlState: "22P02", message: "invalid input syntax for type \(type): \"\(text)\"")
    }
}
