/// A position in SQL source text.
///
/// `offset` is a 0-based UTF-8 byte offset; `line` and `column` are 1-based, and `column` counts Unicode scalars
/// (not bytes) from the start of the line, which is what a caret under the offending token needs. A PostgreSQL
/// error position (1-based, in characters over the whole query) can be derived from the source and `offset`.
///
/// Every token and AST node carries two of these, so they are stored in 32 bits each (a span is 24 bytes, not 48);
/// values beyond 4 GiB saturate.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    private var storedOffset: UInt32
    private var storedLine: UInt32
    private var storedColumn: UInt32

    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    public init(offset: Int, line: Int, column: Int) {
        storedOffset = UInt32(clamping: offset)
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    /// The start of a text.
    public static let start = SourceLocation(offset: 0, line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}
