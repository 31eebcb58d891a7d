/// One parsed statement: a kind and the span it was parsed from (ignored by equality, see `SourceSpan`).
///
/// The payload types are nested in `Statement` and grouped by concern in `Statement+DDL.swift`,
/// `Statement+DML.swift`, `Statement+Admin.swift` and `Statement+Assert.swift`.
public struct Statement: Hashable, Sendable {
    public var kind: Kind
    public var span: SourceSpan

    public init(_ kind: Kind, span: SourceSpan = .synthetic) {
        self.kind = kind
        self.span = span
    }

    /// Which statement, with its payload.
    public indirect enum Kind: Hashable, Sendable {
        // DDL
        case createSource(CreateSource)
        case createAsSelect(CreateAsSelect)
        case createType(CreateType)
        case alterSource(AlterSource)
        case dropSource(DropSource)
        case dropType(DropType)
        // DML and queries
        case insertSelect(InsertSelect)
        case insertValues(InsertValues)
        case delete(Delete)
        case query(Query)
        // Administration
        case show(Show)
        case describe(Describe)
        case printTopic(PrintTopic)
        case terminate(QueryTarget)
        case pause(QueryTarget)
        case resume(QueryTarget)
        /// `SET 'name' = 'value'`
        case setProperty(name: String, value: String)
        /// `UNSET 'name'`
        case unsetProperty(name: String)
        /// `DEFINE name = 'value'`
        case define(name: Identifier, value: String)
        /// `UNDEFINE name`
        case undefine(Identifier)
        case explain(Explain)
        /// `RUN SCRIPT 'path'`
        case runScript(path: String)
        // Assertions (ksqlDB's test runner forms and ASSERT TOPIC)
        case assertTopic(AssertTopic)
        case assertValues(AssertValues)
        case assertSource(AssertSource)
    }

    /// Whether a source is a stream or a table.
    public enum SourceKind: String, Hashable, Sendable {
        case stream = "STREAM"
        case table = "TABLE"
    }

    /// `name = literal` in a `WITH (…)` list. `name` is an identifier (upper-cased unless quoted) or, when
    /// `nameIsString`, a string literal's value such as `'connector.class'`.
    public struct Property: Hashable, Sendable {
        public var name: String
        public var nameIsString: Bool
        /// A literal; a numeric value may carry a leading `-` in its text.
        public var value: Literal
        public var span: SourceSpan

        public init(name: String, nameIsString: Bool = false, value: Literal, span: SourceSpan = .synthetic) {
            self.name = name
            self.nameIsString = nameIsString
            self.value = value
            self.span = span
        }
    }
}
