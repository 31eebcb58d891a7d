/// A position in SQL source text.
///
/// `offset` is a 0-based UTF-8 byte offset; `line` and `column` are 1-based, and `column` counts Unicode scalars
/// (not bytes) from the start of the line, which is what a caret under the offending token needs. A PostgreSQL
/// error position (1-based, in characters over the whole query) can be derived from the source and `offset`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The start of a text.
    public static let start = SourceLocation(offset: 0, line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}
