import Relational
import Streams

/// A stream or table in the catalog: its columns (key, value, header), where its records live (topic and formats),
/// and how time and windows apply to it. Names are stored as the binder sees them (unquoted identifiers
/// upper-cased).
public struct SourceDescription: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case stream = "STREAM"
        case table = "TABLE"
    }

    public var name: String
    public var kind: Kind
    /// Key, value and header columns, in declaration order. Pseudo-columns (ROWTIME, …) are not listed; the binder
    /// adds them.
    public var schema: Schema
    public var topic: String
    public var keyFormat: String
    public var valueFormat: String
    public var partitions: Int
    /// Names no declared column may take: the pseudo-columns every query row has.
    public static let pseudoColumnNames: Set<String> = ["ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART", "WINDOWEND"]
    public var timestampColumn: String?
    public var timestampFormat: String?
    public var windowType: WindowType?
    /// CREATE SOURCE STREAM/TABLE: refuses INSERT, DELETE and DROP … DELETE TOPIC.
    public var isReadOnly: Bool
    /// Other WITH properties as given (upper-cased names).
    public var properties: [String: String]

    public init(
        name: String, kind: Kind, schema: Schema, topic: String, keyFormat: String = "KAFKA", valueFormat: String = "JSON",
        partitions: Int = 1, timestampColumn: String? = nil, timestampFormat: String? = nil, windowType: WindowType? = nil,
        isReadOnly: Bool = false, properties: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.schema = schema
        self.topic = topic
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.partitions = partitions
        self.timestampColumn = timestampColumn
        self.timestampFormat = timestampFormat
        self.windowType = windowType
        self.isReadOnly = isReadOnly
        self.properties = properties
    }

    public var keyColumns: [Column] { schema.columns(role: .key) }

    /// The row a query reads from this source: the schema's columns, then ROWTIME, ROWPARTITION and ROWOFFSET, and
    /// WINDOWSTART and WINDOWEND for windowed sources.
    var rowColumns: [Column] {
        var columns: [Column] = []
        columns.reserveCapacity(schema.count + 5)
        columns += schema.columns
        columns.append(Schema.rowtime)
        columns.append(Schema.rowpartition)
        columns.append(Schema.rowoffset)
        if windowType != nil {
            columns.append(Schema.windowstart)
            columns.append(Schema.windowend)
        }
        return columns
    }
}
