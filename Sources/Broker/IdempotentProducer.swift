import LogStorage
import SluiceCore

/// Producer ids for idempotent producers: the wall clock in milliseconds times 1,024, or one more than the last id,
/// so ids keep increasing across restarts (the log keeps each id's sequence state) unless the clock steps back by
/// more than the ids handed out since. One per process, shared by Kafka clients' InitProducerId and the SQL
/// engine's sinks.
public final class ProducerIDAllocator: @unchecked Sendable {
    // @unchecked: `last` is only touched under `lock`.
    private let lock = Lock()
    private var last: Int64 = 0

    public static let shared = ProducerIDAllocator()

    public func next() -> ProducerID {
        let candidate = SystemClock().milliseconds() * 1_024
        return lock.withLock {
            last = max(candidate, last + 1)
            return last
        }
    }
}

/// What an idempotent Kafka producer adds to its batches, for a writer inside the server (a query's sink): one
/// producer id, epoch 0, and per partition the sequence of the next record. The log checks them exactly as it
/// checks external producers' batches (OUT_OF_ORDER_SEQUENCE_NUMBER, duplicates acknowledged, not appended again).
public struct IdempotentProducer {
    public let producerID: ProducerID
    private var nextSequence: [Int32]

    public init(partitions: Int, producerID: ProducerID = ProducerIDAllocator.shared.next()) {
        self.producerID = producerID
        nextSequence = Array(repeating: 0, count: partitions)
    }

    /// Produces `batch` to `partition` of `topic` with the producer's id and the partition's next sequence, then
    /// advances the sequence (wrapping at Int32.max, as Kafka's producer does).
    @discardableResult
    public mutating func produce(
        _ batch: inout ProducerBatch, to topic: String, partition: Int, client: any LogClient
    ) throws -> ClosedRange<Offset> {
        let count = Int32(batch.count)
        batch.builder.options.producerId = producerID
        batch.builder.options.producerEpoch = 0
        batch.builder.options.baseSequence = nextSequence[partition]
        let offsets = try client.produce(&batch, to: TopicPartition(topic, PartitionID(partition)))
        let (next, overflow) = nextSequence[partition].addingReportingOverflow(count)
        nextSequence[partition] = overflow ? next & Int32.max : next
        return offsets
    }
}
