import SluiceCore

/// Where records that cannot be processed go (ksqlDB's KSQL_PROCESSING_LOG): a bad record is skipped, counted, and
/// described here with where it came from; the query goes on.
public protocol ProcessingLog: Sendable {
    func record(_ entry: ProcessingLogEntry)
}

public struct ProcessingLogEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case deserialization = "DESERIALIZATION_ERROR"
        case expression = "EXPRESSION_ERROR"
        case serialization = "SERIALIZATION_ERROR"
        /// A record that arrived after its window closed (end + grace behind stream time): dropped.
        case lateRecord = "LATE_RECORD"
    }

    public var kind: Kind
    public var queryID: String
    public var topic: String
    public var partition: PartitionID
    public var offset: Offset
    public var message: String

    public init(kind: Kind, queryID: String, topic: String, partition: PartitionID, offset: Offset, message: String) {
        self.kind = kind
        self.queryID = queryID
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.message = message
    }
}

/// Keeps entries in memory (tests; the engine writes them to a topic).
public final class MemoryProcessingLog: ProcessingLog, @unchecked Sendable {
    // @unchecked: `entries` is only touched with `lock` held.
    private let lock = Lock()
    private var stored: [ProcessingLogEntry] = []

    public init() {}

    public func record(_ entry: ProcessingLogEntry) { lock.withLock { stored.append(entry) } }
    public var entries: [ProcessingLogEntry] { lock.withLock { stored } }
}
