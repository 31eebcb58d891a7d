import LogStorage
import SluiceCore

/// The log as the SQL engine sees it: topics, fetches and produces by partition, and a signal for new data. The
/// embedded implementation runs over this process's `LogManager`; another can speak the Kafka protocol to an external
/// cluster. Calls are per batch of records, never per record. Implementations are thread-safe.
public protocol LogClient: Sendable {
    /// Partitions of `topic`, or nil when it does not exist.
    func partitionCount(of topic: String) -> Int?
    /// Every topic of the log, internal ones included, sorted by name.
    func topicNames() -> [String]
    /// Creates `topic` unless it exists; an existing topic with another partition count is an error.
    func ensureTopic(_ topic: String, partitions: Int, config: [String: String]) throws
    func deleteTopic(_ topic: String) throws
    /// Whole batches from `offset` (the first may start before it), up to about `maxBytes`, below the high watermark.
    func fetch(_ partition: TopicPartition, from offset: Offset, maxBytes: Int) throws -> FetchedRecords
    /// Appends one batch; returns the offsets it got.
    func produce(_ batch: inout ProducerBatch, to partition: TopicPartition) throws -> ClosedRange<Offset>
    /// The first offset and the high watermark.
    func offsets(of partition: TopicPartition) throws -> (start: Offset, end: Offset)
    /// The current value of the new-data signal.
    var dataSequence: UInt64 { get }
    /// Sleeps until something is appended after `sequence` was read, or the timeout passes.
    func waitForData(after sequence: UInt64, timeoutMilliseconds: Int) -> UInt64
    /// Wakes the waiters of `waitForData` although nothing was appended (new tasks, shutdown).
    func wakeUp()
}

/// Records fetched from one partition: the stored batches, as they are on disk.
public struct FetchedRecords: Sendable {
    public var bytes: [UInt8]
    public var highWatermark: Offset
    public var logStartOffset: Offset

    public init(bytes: [UInt8], highWatermark: Offset, logStartOffset: Offset) {
        self.bytes = bytes
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// The offset after the last fetched batch (where the next fetch starts).
    public var nextOffset: Offset? {
        bytes.withUnsafeBytes { raw in
            var position = 0
            var next: Offset?
            while raw.count - position >= RecordBatchHeader.size {
                let header = RecordBatchHeader(parsing: UnsafeRawBufferPointer(rebasing: raw[position...]))
                guard header.sizeInBytes > 0, position + header.sizeInBytes <= raw.count else { break }
                next = header.nextOffset
                position += header.sizeInBytes
            }
            return next
        }
    }

    /// Calls `body` for every data record at or after `offset` (control records are skipped), with a reader that
    /// reuses its decompression buffer across calls when passed in.
    public func forEachRecord(from offset: Offset, reader: inout FetchReader, _ body: (RecordView) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            var position = 0
            while raw.count - position >= RecordBatchHeader.size {
                let batch = UnsafeRawBufferPointer(rebasing: raw[position...])
                let header = RecordBatchHeader(parsing: batch)
                guard header.sizeInBytes > 0, position + header.sizeInBytes <= raw.count else { break }
                if !header.isControl && header.lastOffset >= offset {
                    try reader.reader.forEachRecord(in: batch, header: header) { record in
                        guard record.offset >= offset else { return }
                        try body(RecordView(offset: record.offset, timestamp: record.timestamp, key: record.key, value: record.value))
                    }
                }
                position += header.sizeInBytes
            }
        }
    }
}

/// Reusable decoding state for `FetchedRecords.forEachRecord` (one per task).
public struct FetchReader {
    var reader = RecordBatchReader()
    public init() {}
}

/// One record, valid during the callback that receives it.
public struct RecordView {
    public var offset: Offset
    public var timestamp: Timestamp
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?
}

/// Records to produce to one partition, encoded straight into a RecordBatch v2.
public struct ProducerBatch {
    var builder: RecordBatchBuilder

    public init(lz4: Bool = false) {
        var options = RecordBatchBuilder.Options()
        options.compression = lz4 ? .lz4 : .none
        builder = RecordBatchBuilder(options: options)
    }

    public var count: Int { builder.recordCount }
    public var isEmpty: Bool { builder.isEmpty }
    public var sizeInBytes: Int { builder.sizeInBytes }

    public mutating func append(timestamp: Timestamp, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?) {
        builder.append(timestamp: timestamp, key: key, value: value)
    }

    public mutating func append(timestamp: Timestamp, key: [UInt8]?, value: [UInt8]?) {
        builder.append(timestamp: timestamp, key: key, value: value)
    }

    /// The encoded batch; the builder is then empty.
    mutating func build() throws -> [UInt8] { try builder.build() }
}

/// `LogClient` over this process's `LogManager` (single node: the high watermark follows each append).
public struct EmbeddedLogClient: LogClient {
    public let logs: LogManager

    public init(logs: LogManager) {
        self.logs = logs
    }

    public func partitionCount(of topic: String) -> Int? { logs.topic(topic)?.partitions.count }
    public func topicNames() -> [String] { logs.topicNames }

    public func ensureTopic(_ topic: String, partitions: Int, config: [String: String]) throws {
        if let existing = logs.topic(topic) {
            guard existing.partitions.count == partitions else {
                throw LogError(.invalidPartitions, "topic '\(topic)' exists with \(existing.partitions.count) partitions, not \(partitions)")
            }
            return
        }
        do {
            try logs.createTopic(topic, partitions: partitions, config: config)
        } catch let error as LogError where error.code == .topicAlreadyExists {
            // Created concurrently: fine.
        }
    }

    public func deleteTopic(_ topic: String) throws { try logs.deleteTopic(topic) }

    public func fetch(_ partition: TopicPartition, from offset: Offset, maxBytes: Int) throws -> FetchedRecords {
        let read = try logs.partition(partition).read(from: offset, maxBytes: maxBytes)
        return FetchedRecords(bytes: read.records, highWatermark: read.highWatermark, logStartOffset: read.logStartOffset)
    }

    public func produce(_ batch: inout ProducerBatch, to partition: TopicPartition) throws -> ClosedRange<Offset> {
        var bytes = try batch.build()
        let result = try logs.append(&bytes, to: partition)
        return result.firstOffset...result.lastOffset
    }

    public func offsets(of partition: TopicPartition) throws -> (start: Offset, end: Offset) {
        let log = try logs.partition(partition)
        return (log.logStartOffset, log.highWatermark)
    }

    public var dataSequence: UInt64 { logs.appended.current }

    public func waitForData(after sequence: UInt64, timeoutMilliseconds: Int) -> UInt64 {
        logs.appended.wait(after: sequence, timeoutMilliseconds: timeoutMilliseconds)
    }

    public func wakeUp() { logs.appended.signal() }
}
