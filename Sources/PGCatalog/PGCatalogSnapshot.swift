/// An immutable picture of what Sluice holds, from which `PGCatalog` builds PostgreSQL's system relations.
///
/// Build one per catalog statement (it is cheap: a few arrays). Every relation lives in schema `public`;
/// TABLEs appear as relkind 'r', STREAMs as relkind 'v' (see README.md). Value type, `Sendable`.
public struct PGCatalogSnapshot: Sendable {
    /// One column of a Sluice relation; `typeOID` is PostgreSQL's type oid (int8 20, text 25, …).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var typeOID: UInt32
        /// Part of the relation's key (a TABLE's PRIMARY KEY; a STREAM's message key).
        public var isKey: Bool
        public var notNull: Bool

        public init(name: String, typeOID: UInt32, isKey: Bool = false, notNull: Bool = false) {
            self.name = name
            self.typeOID = typeOID
            self.isKey = isKey
            self.notNull = notNull
        }
    }

    /// A Sluice TABLE or STREAM.
    public struct Relation: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case stream
            case table
        }

        public var name: String
        public var kind: Kind
        public var columns: [Column]
        /// The backing topic; shown as the relation's description when `comment` is nil.
        public var topic: String
        public var comment: String?

        public init(name: String, kind: Kind, columns: [Column], topic: String, comment: String? = nil) {
            self.name = name
            self.kind = kind
            self.columns = columns
            self.topic = topic
            self.comment = comment
        }
    }

    /// A Sluice function, listed in pg_proc under schema `public` so psql's `\df` shows it.
    public struct Function: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case scalar
            case aggregate
            /// Set-returning (a table function).
            case table
        }

        public var name: String
        public var argumentTypeOIDs: [UInt32]
        public var resultTypeOID: UInt32
        public var kind: Kind

        public init(name: String, argumentTypeOIDs: [UInt32], resultTypeOID: UInt32, kind: Kind = .scalar) {
            self.name = name
            self.argumentTypeOIDs = argumentTypeOIDs
            self.resultTypeOID = resultTypeOID
            self.kind = kind
        }
    }

    /// The database name (`current_database()`, pg_database's only row).
    public var database: String
    /// The session user (`current_user`, owner of every object, pg_roles' only row).
    public var user: String
    public var relations: [Relation]
    public var functions: [Function]
    /// Session settings for `current_setting()`, `SHOW`-like reads and `pg_settings`. Defaults fill the gaps.
    public var settings: [String: String]

    public init(
        database: String = "sluice", user: String = "sluice", relations: [Relation] = [], functions: [Function] = [],
        settings: [String: String] = [:]
    ) {
        self.database = database
        self.user = user
        self.relations = relations
        self.functions = functions
        self.settings = settings
    }
}
