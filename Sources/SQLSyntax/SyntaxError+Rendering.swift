extension SyntaxError {
    /// The 1-based character position of the error in `sql`, as PostgreSQL's ErrorResponse `P` field wants it.
    /// `sql` must be the text that was parsed (after variable substitution).
    public func characterPosition(in sql: String) -> Int {
        var count = 1
        for byte in sql.utf8.prefix(offset) where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The message, the offending source line, and a caret under the offending token, for the shell:
    ///
    ///     syntax error at line 1, column 10: unexpected 'FORM', … (hint: did you mean FROM?)
    ///     SELECT * FORM orders
    ///              ^~~~
    public func annotated(_ sql: String) -> String {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return description }
        let text = lines[line - 1].replacing("\t", with: " ").replacing("\r", with: "")
        let width = max(1, min(span.end.line == line ? span.end.column - column : 1, text.count - column + 1))
        let caret = String(repeating: " ", count: column - 1) + "^" + String(repeating: "~", count: max(0, width - 1))
        return description + "\n" + text + "\n" + caret
    }
}
