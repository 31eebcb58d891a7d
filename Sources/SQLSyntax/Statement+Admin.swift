extension Statement {
    /// `SHOW|LIST [ALL] TOPICS [EXTENDED]`, `SHOW STREAMS [EXTENDED]`, and the other listings.
    public struct Show: Hashable, Sendable {
        /// What is listed.
        public enum Subject: String, Hashable, Sendable, CaseIterable {
            case streams = "STREAMS"
            case tables = "TABLES"
            case topics = "TOPICS"
            case queries = "QUERIES"
            case properties = "PROPERTIES"
            case functions = "FUNCTIONS"
            case types = "TYPES"
            case variables = "VARIABLES"
            /// Kafka consumer groups with committed offsets and lag (a Sluice extension).
            case consumerGroups = "CONSUMER GROUPS"

            /// Whether `EXTENDED` may follow (as in ksqlDB).
            public var allowsExtended: Bool {
                switch self {
                case .streams, .tables, .topics, .queries: true
                default: false
                }
            }
        }

        public var subject: Subject
        /// `SHOW ALL TOPICS`: include internal topics.
        public var all: Bool
        public var extended: Bool

        public init(_ subject: Subject, all: Bool = false, extended: Bool = false) {
            self.subject = subject
            self.all = all
            self.extended = extended
        }
    }

    /// `DESCRIBE name [EXTENDED]`, `DESCRIBE STREAMS|TABLES [EXTENDED]`, `DESCRIBE FUNCTION f`.
    public enum Describe: Hashable, Sendable {
        case source(Identifier, extended: Bool)
        case streams(extended: Bool)
        case tables(extended: Bool)
        case function(Identifier)
    }

    /// `PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]`. An unquoted topic name is kept as written
    /// (topic names are case-sensitive); a quoted one is the string's value.
    public struct PrintTopic: Hashable, Sendable {
        public var topic: String
        public var fromBeginning: Bool
        public var interval: Int64?
        public var limit: Int64?

        public init(topic: String, fromBeginning: Bool = false, interval: Int64? = nil, limit: Int64? = nil) {
            self.topic = topic
            self.fromBeginning = fromBeginning
            self.interval = interval
            self.limit = limit
        }
    }

    /// The target of TERMINATE, PAUSE and RESUME.
    public enum QueryTarget: Hashable, Sendable {
        case all
        case query(Identifier)
    }

    /// `EXPLAIN statement` or `EXPLAIN query_id`.
    public enum Explain: Hashable, Sendable {
        case statement(Statement)
        case queryID(Identifier)
    }
}
