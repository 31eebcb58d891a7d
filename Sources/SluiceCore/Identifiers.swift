/// Kafka's identifiers, named after Kafka's vocabulary. Plain integer aliases keep them free to pass around
/// byte-exact codecs; their widths are the wire widths.

/// A record's position in a partition: dense from `logStartOffset`, except where compaction left gaps.
public typealias Offset = Int64

/// The epoch of a partition's leader; every batch is stamped with the epoch of the leader that appended it.
public typealias LeaderEpoch = Int32

/// A partition's index inside its topic.
public typealias PartitionID = Int32

/// A Sluice server's identity in a cluster (Kafka's broker id).
public typealias NodeID = Int32

/// An idempotent producer's id, handed out by InitProducerId; -1 when the producer is not idempotent.
public typealias ProducerID = Int64

/// An idempotent producer's epoch; a higher epoch fences the older one.
public typealias ProducerEpoch = Int16

/// Milliseconds since the Unix epoch, as Kafka's record timestamps are.
public typealias Timestamp = Int64

/// A topic and a partition of it.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: PartitionID

    public init(_ topic: String, _ partition: PartitionID) {
        self.topic = topic
        self.partition = partition
    }

    /// Kafka's directory name for the partition: `<topic>-<partition>`.
    public var description: String { "\(topic)-\(partition)" }
}
