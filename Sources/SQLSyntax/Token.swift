/// One lexical token: its kind and where it is. The text is `source[span.start.offset ..< span.end.offset]`.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var span: SourceSpan

    public init(kind: TokenKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// The byte range of the token in its source.
    public var range: Range<Int> { span.start.offset..<span.end.offset }

    /// The keyword, if this token is one.
    public var keyword: Keyword? {
        if case .keyword(let keyword) = kind { return keyword }
        return nil
    }
}
