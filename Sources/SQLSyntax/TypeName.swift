/// A SQL type as written. Synonyms are folded (`INTEGER` is `.int`, `STRING` is `.varchar`); anything that is
/// not a built-in type is `.named` (a `CREATE TYPE` alias the binder resolves).
public struct TypeName: Hashable, Sendable {
    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, span: SourceSpan = .synthetic) {
        self.kind = kind
        self.span = span
    }

    /// Which type.
    public indirect enum Kind: Hashable, Sendable {
        case boolean
        case int
        case bigint
        case double
        /// `DECIMAL(precision, scale)`; ksqlDB requires both.
        case decimal(precision: Int, scale: Int)
        case varchar
        /// `VARCHAR(n)`: PostgreSQL's bounded string. Only a CAST target: the cast cuts the text to `n` characters.
        case boundedVarchar(length: Int)
        case bytes
        case date
        case time
        case timestamp
        case array(TypeName)
        case map(key: TypeName, value: TypeName)
        case structure([Field])
        case named(Identifier)
    }

    /// A `STRUCT<name type>` field.
    public struct Field: Hashable, Sendable {
        public var name: Identifier
        public var type: TypeName

        public init(name: Identifier, type: TypeName) {
            self.name = name
            self.type = type
        }
    }
}
