/// A FROM item: a named stream or table, a subquery, or a join of two relations.
public struct Relation: Hashable, Sendable {
    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, span: SourceSpan = .synthetic) {
        self.kind = kind
        self.span = span
    }

    /// What the FROM item is.
    public indirect enum Kind: Hashable, Sendable {
        case source(name: Identifier, alias: Identifier?)
        case subquery(Query, alias: Identifier?)
        case join(Join)
    }
}
