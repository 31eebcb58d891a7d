/// A server error as libpq reports it: the ErrorResponse fields the shell shows.
public struct ServerError: Hashable, Sendable, Error {
    public var severity: String
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the statement (ErrorResponse field `P`), as PostgreSQL counts it.
    public var position: Int?

    public init(
        severity: String = "ERROR", sqlState: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil,
        position: Int? = nil
    ) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }
}

/// Formats a `ServerError` the way psql's verbose mode does, with a caret under the error position:
///
///     ERROR:  42601: syntax error at or near "FORM"
///     LINE 1: SELECT * FORM orders
///                      ^
///     HINT:  did you mean FROM?
public enum ErrorRenderer {
    public static func render(_ error: ServerError, statement: String?, color: Bool = false) -> String {
        let label = color ? "\u{1B}[31;1m\(error.severity)\u{1B}[0m" : error.severity
        var out = label + ":  " + (error.sqlState.map { $0 + ": " } ?? "") + error.message + "\n"
        if let position = error.position, let statement, let caret = caret(statement: statement, position: position) {
            out += caret
        }
        if let detail = error.detail { out += "DETAIL:  " + detail + "\n" }
        if let hint = error.hint { out += "HINT:  " + hint + "\n" }
        return out
    }

    /// `LINE n: <text>` and a caret line under character `position` (1-based) of `statement`; nil if out of range.
    public static func caret(statement: String, position: Int) -> String? {
        let characters = Array(statement)
        guard position >= 1, position <= characters.count + 1 else { return nil }
        var line = 1
        var lineStart = 0
        for index in 0..<(position - 1) where characters[index] == "\n" {
            line += 1
            lineStart = index + 1
        }
        var lineEnd = lineStart
        while lineEnd < characters.count, characters[lineEnd] != "\n" { lineEnd += 1 }
        let text = String(characters[lineStart..<lineEnd]).replacing("\t", with: " ").replacing("\r", with: "")
        let prefix = "LINE \(line): "
        let before = String(characters[lineStart..<min(position - 1, lineEnd)])
        let indent = DisplayWidth.of(prefix) + DisplayWidth.of(before.replacing("\t", with: " "))
        return prefix + text + "\n" + String(repeating: " ", count: indent) + "^\n"
    }
}
