/// One item of a SELECT list.
public enum SelectItem: Hashable, Sendable {
    /// `*`
    case wildcard(SourceSpan)
    /// `src.*`
    case qualifiedWildcard(Identifier)
    /// `expr->*`: every field of a struct.
    case structWildcard(Expr)
    /// `expr [[AS] alias]`
    case expression(Expr, alias: Identifier?)
}
