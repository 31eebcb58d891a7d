/// The source range `[start, end)` an AST node was parsed from.
///
/// Invariant that the whole AST relies on: **spans never take part in equality or hashing.** Two spans always
/// compare equal, so every AST type can synthesize `Equatable`/`Hashable` and `parse(unparse(ast)) == ast` holds
/// even though the canonical text has different positions. Compare `start`/`end` explicitly when positions matter.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// A span for nodes built by code rather than parsed.
    public static let synthetic = SourceSpan(start: .start, end: .start)

    /// The number of UTF-8 bytes covered.
    public var length: Int { end.offset - start.offset }

    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(
            start: start.offset <= other.start.offset ? start : other.start,
            end: end.offset >= other.end.offset ? end : other.end)
    }

    public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}

    public var description: String { "\(start)-\(end)" }
}
