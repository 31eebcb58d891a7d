extension Statement {
    /// `ASSERT [NOT EXISTS] TOPIC name [WITH (…)] [TIMEOUT n unit]`
    public struct AssertTopic: Hashable, Sendable {
        public var notExists: Bool
        /// The topic name, as written (quoted or not).
        public var topic: String
        public var properties: [Property]
        public var timeout: WindowDuration?

        public init(notExists: Bool = false, topic: String, properties: [Property] = [], timeout: WindowDuration? = nil)
        {
            self.notExists = notExists
            self.topic = topic
            self.properties = properties
            self.timeout = timeout
        }
    }

    /// `ASSERT VALUES source [(columns)] VALUES (…)` or `ASSERT NULL VALUES source [(columns)] KEY (…)`
    /// (ksqlDB's test-runner forms).
    public struct AssertValues: Hashable, Sendable {
        /// `ASSERT NULL VALUES … KEY (…)`: the row with this key is a tombstone.
        public var isNull: Bool
        public var source: Identifier
        public var columns: [Identifier]
        public var values: [Expr]

        public init(isNull: Bool = false, source: Identifier, columns: [Identifier] = [], values: [Expr]) {
            self.isNull = isNull
            self.source = source
            self.columns = columns
            self.values = values
        }
    }

    /// `ASSERT STREAM|TABLE name [(elements)] [WITH (…)]`: the source exists with this schema and properties.
    public struct AssertSource: Hashable, Sendable {
        public var kind: SourceKind
        public var name: Identifier
        public var elements: [TableElement]
        public var properties: [Property]

        public init(kind: SourceKind, name: Identifier, elements: [TableElement] = [], properties: [Property] = []) {
            self.kind = kind
            self.name = name
            self.elements = elements
            self.properties = properties
        }
    }
}
