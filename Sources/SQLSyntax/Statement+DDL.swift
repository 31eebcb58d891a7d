extension Statement {
    /// `CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(elements)] [WITH (…)]`
    public struct CreateSource: Hashable, Sendable {
        public var kind: SourceKind
        public var orReplace: Bool
        /// `CREATE SOURCE …`: read-only.
        public var isSource: Bool
        public var ifNotExists: Bool
        public var name: Identifier
        /// Empty when the column list is left out (schema inference).
        public var elements: [TableElement]
        public var properties: [Property]

        public init(
            kind: SourceKind, orReplace: Bool = false, isSource: Bool = false, ifNotExists: Bool = false,
            name: Identifier, elements: [TableElement] = [], properties: [Property] = []
        ) {
            self.kind = kind
            self.orReplace = orReplace
            self.isSource = isSource
            self.ifNotExists = ifNotExists
            self.name = name
            self.elements = elements
            self.properties = properties
        }
    }

    /// A column definition: `name type [KEY | PRIMARY KEY | HEADERS | HEADER('k')]`.
    public struct TableElement: Hashable, Sendable {
        /// `KEY`, `PRIMARY KEY`, `HEADERS` or `HEADER('key')`.
        public enum Constraint: Hashable, Sendable {
            case key
            case primaryKey
            case headers
            case header(String)
        }

        public var name: Identifier
        public var type: TypeName
        public var constraint: Constraint?

        public init(name: Identifier, type: TypeName, constraint: Constraint? = nil) {
            self.name = name
            self.type = type
            self.constraint = constraint
        }
    }

    /// `CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (…)] AS query` (CSAS / CTAS).
    public struct CreateAsSelect: Hashable, Sendable {
        public var kind: SourceKind
        public var orReplace: Bool
        public var ifNotExists: Bool
        public var name: Identifier
        public var properties: [Property]
        public var query: Query

        public init(
            kind: SourceKind, orReplace: Bool = false, ifNotExists: Bool = false, name: Identifier,
            properties: [Property] = [], query: Query
        ) {
            self.kind = kind
            self.orReplace = orReplace
            self.ifNotExists = ifNotExists
            self.name = name
            self.properties = properties
            self.query = query
        }
    }

    /// `CREATE TYPE [IF NOT EXISTS] name AS type`
    public struct CreateType: Hashable, Sendable {
        public var ifNotExists: Bool
        public var name: Identifier
        public var type: TypeName

        public init(ifNotExists: Bool = false, name: Identifier, type: TypeName) {
            self.ifNotExists = ifNotExists
            self.name = name
            self.type = type
        }
    }

    /// `ALTER STREAM|TABLE name ADD [COLUMN] c type [, ADD [COLUMN] c type …]`
    public struct AlterSource: Hashable, Sendable {
        public var kind: SourceKind
        public var name: Identifier
        public var addedColumns: [TableElement]

        public init(kind: SourceKind, name: Identifier, addedColumns: [TableElement]) {
            self.kind = kind
            self.name = name
            self.addedColumns = addedColumns
        }
    }

    /// `DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC]`
    public struct DropSource: Hashable, Sendable {
        public var kind: SourceKind
        public var ifExists: Bool
        public var name: Identifier
        public var deleteTopic: Bool

        public init(kind: SourceKind, ifExists: Bool = false, name: Identifier, deleteTopic: Bool = false) {
            self.kind = kind
            self.ifExists = ifExists
            self.name = name
            self.deleteTopic = deleteTopic
        }
    }

    /// `DROP TYPE [IF EXISTS] name`
    public struct DropType: Hashable, Sendable {
        public var ifExists: Bool
        public var name: Identifier

        public init(ifExists: Bool = false, name: Identifier) {
            self.ifExists = ifExists
            self.name = name
        }
    }
}
