import LogStorage
import SluiceCore

/// Committed offsets of consumer groups, kept where Kafka keeps them: records in the compacted internal topic
/// `__consumer_offsets`, keyed and valued in Kafka's own format (OffsetCommitKey v1: group, topic, partition;
/// OffsetCommitValue v3: offset, leader epoch, metadata, commit timestamp), in partition
/// `abs(javaHashCode(group)) % partitionCount`, so that lag tools that read the topic (Burrow) understand it.
/// The latest value per key is cached in memory and reloaded from the topic at start. Thread-safe.
public final class ConsumerOffsetStore: @unchecked Sendable {
    // @unchecked: `offsets` is only touched with `lock` held.
    public static let topic = "__consumer_offsets"
    /// Kafka's `offsets.topic.num.partitions` default.
    public static let defaultPartitionCount = 50

    /// What a group committed for one partition.
    public struct CommittedOffset: Sendable, Equatable {
        public var offset: Offset
        public var leaderEpoch: LeaderEpoch
        public var metadata: String
        public var commitTimestamp: Timestamp

        public init(offset: Offset, leaderEpoch: LeaderEpoch = -1, metadata: String = "", commitTimestamp: Timestamp) {
            self.offset = offset
            self.leaderEpoch = leaderEpoch
            self.metadata = metadata
            self.commitTimestamp = commitTimestamp
        }
    }

    struct Key: Hashable {
        var group: String
        var topicPartition: TopicPartition
    }

    public let logs: LogManager
    private let clock: any Clock
    private let lock = Lock()
    private var offsets: [Key: CommittedOffset] = [:]
    public let partitionCount: Int

    /// Opens the store, creating `__consumer_offsets` when missing and loading every committed offset in it.
    public init(logs: LogManager, clock: any Clock = SystemClock(), partitionCount: Int = defaultPartitionCount) throws {
        self.logs = logs
        self.clock = clock
        if let existing = logs.topic(Self.topic) {
            self.partitionCount = existing.partitions.count
        } else {
            self.partitionCount = partitionCount
            try logs.createTopic(Self.topic, partitions: partitionCount, config: ["cleanup.policy": "compact", "segment.bytes": String(100 << 20)])
        }
        try load()
    }

    /// The partition of `__consumer_offsets` that holds a group (Kafka's `GroupMetadataManager.partitionFor`).
    public func partition(for group: String) -> PartitionID {
        PartitionID(Self.kafkaAbs(Self.javaHashCode(group)) % Int32(partitionCount))
    }

    /// Commits `offset` for `group` on `topicPartition`, durably per the topic's policy.
    public func commit(group: String, topicPartition: TopicPartition, offset: Offset, leaderEpoch: LeaderEpoch = -1, metadata: String = "") throws {
        let value = CommittedOffset(offset: offset, leaderEpoch: leaderEpoch, metadata: metadata, commitTimestamp: clock.milliseconds())
        try commit(group: group, offsets: [(topicPartition, value)])
    }

    /// Commits several partitions' offsets for `group` as one record batch, so they become durable together.
    public func commit(group: String, offsets values: [(TopicPartition, CommittedOffset)]) throws {
        guard !values.isEmpty else { return }
        var builder = RecordBatchBuilder()
        for (tp, value) in values {
            builder.append(timestamp: value.commitTimestamp, key: Self.encodeKey(group: group, tp), value: Self.encodeValue(value))
        }
        var batch = try builder.build()
        _ = try logs.append(&batch, to: TopicPartition(Self.topic, partition(for: group)))
        lock.withLock { for (tp, value) in values { offsets[Key(group: group, topicPartition: tp)] = value } }
    }

    /// Deletes a group's committed offsets (tombstones, which compaction later removes).
    public func deleteGroup(_ group: String) throws {
        let keys = lock.withLock { offsets.keys.filter { $0.group == group } }
        guard !keys.isEmpty else { return }
        var builder = RecordBatchBuilder()
        for key in keys {
            builder.append(timestamp: clock.milliseconds(), key: Self.encodeKey(group: group, key.topicPartition), value: nil)
        }
        var batch = try builder.build()
        _ = try logs.append(&batch, to: TopicPartition(Self.topic, partition(for: group)))
        lock.withLock { for key in keys { offsets[key] = nil } }
    }

    public func committed(group: String, topicPartition: TopicPartition) -> CommittedOffset? {
        lock.withLock { offsets[Key(group: group, topicPartition: topicPartition)] }
    }

    /// Every partition a group has committed, with its offset.
    public func committed(group: String) -> [TopicPartition: CommittedOffset] {
        lock.withLock {
            var result: [TopicPartition: CommittedOffset] = [:]
            for (key, value) in offsets where key.group == group { result[key.topicPartition] = value }
            return result
        }
    }

    public var groups: [String] { lock.withLock { Set(offsets.keys.map(\.group)).sorted() } }

    // MARK: - Loading

    private func load() throws {
        for p in 0..<partitionCount {
            let log = try logs.partition(TopicPartition(Self.topic, PartitionID(p)))
            var next = log.logStartOffset
            var reader = RecordBatchReader()
            while true {
                let read = try log.read(from: next, maxBytes: 1 << 20)
                if read.records.isEmpty { break }
                try read.records.withUnsafeBytes { raw in
                    var position = 0
                    while position < raw.count {
                        let batch = UnsafeRawBufferPointer(rebasing: raw[position...])
                        let header = RecordBatchHeader(parsing: batch)
                        try reader.forEachRecord(in: batch, header: header) { record in
                            guard record.offset >= next, let keyBytes = record.key, let key = Self.decodeKey(keyBytes) else { return }
                            offsets[key] = record.value.flatMap(Self.decodeValue)
                        }
                        position += header.sizeInBytes
                        next = header.nextOffset
                    }
                }
            }
        }
    }

    // MARK: - Kafka's record formats

    static func encodeKey(group: String, _ tp: TopicPartition) -> [UInt8] {
        var bytes: [UInt8] = []
        appendBigEndian(Int16(1), to: &bytes)
        appendString(group, to: &bytes)
        appendString(tp.topic, to: &bytes)
        appendBigEndian(tp.partition, to: &bytes)
        return bytes
    }

    static func encodeValue(_ value: CommittedOffset) -> [UInt8] {
        var bytes: [UInt8] = []
        appendBigEndian(Int16(3), to: &bytes)
        appendBigEndian(value.offset, to: &bytes)
        appendBigEndian(value.leaderEpoch, to: &bytes)
        appendString(value.metadata, to: &bytes)
        appendBigEndian(value.commitTimestamp, to: &bytes)
        return bytes
    }

    /// Offset-commit keys are versions 0 and 1 (same fields); version 2 is group metadata, not an offset.
    static func decodeKey(_ bytes: UnsafeRawBufferPointer) -> Key? {
        var reader = BigEndianReader(bytes)
        guard let version = reader.int16(), version == 0 || version == 1,
            let group = reader.string() ?? nil, let topic = reader.string() ?? nil, let partition = reader.int32()
        else { return nil }
        return Key(group: group, topicPartition: TopicPartition(topic, partition))
    }

    /// OffsetCommitValue versions 0–3 (v1 adds an expire timestamp, v3 the leader epoch).
    static func decodeValue(_ bytes: UnsafeRawBufferPointer) -> CommittedOffset? {
        var reader = BigEndianReader(bytes)
        guard let version = reader.int16(), (0...3).contains(version), let offset = reader.int64() else { return nil }
        var epoch: LeaderEpoch = -1
        if version >= 3 {
            guard let e = reader.int32() else { return nil }
            epoch = e
        }
        guard let metadata = reader.string() ?? nil, let timestamp = reader.int64() else { return nil }
        return CommittedOffset(offset: offset, leaderEpoch: epoch, metadata: metadata, commitTimestamp: timestamp)
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        appendBigEndian(Int16(utf8.count), to: &bytes)
        bytes += utf8
    }

    /// Java's `String.hashCode`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, wrapping at 32 bits.
    static func javaHashCode(_ string: String) -> Int32 {
        string.utf16.reduce(Int32(0)) { $0 &* 31 &+ Int32($1) }
    }

    /// Kafka's `Utils.abs`: Math.abs, except that Int32.min maps to 0.
    static func kafkaAbs(_ value: Int32) -> Int32 { value == .min ? 0 : abs(value) }
}
