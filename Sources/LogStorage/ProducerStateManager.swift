import SluiceCore

/// Idempotent-producer state of one partition (Kafka's `ProducerStateManager`): per producer id its epoch and the
/// metadata of its last five batches, so that a retried batch is recognised and answered with its original
/// offsets instead of being appended twice. Snapshotted to `<offset>.snapshot` files and rebuilt at start by
/// loading the latest snapshot and replaying the batches after it.
final class ProducerStateManager {
    struct BatchMetadata: Equatable {
        var firstSequence: Int32
        var lastSequence: Int32
        var firstOffset: Offset
        var lastOffset: Offset
        var timestamp: Timestamp
    }

    struct Entry: Equatable {
        var epoch: ProducerEpoch
        var batches: [BatchMetadata]
        var lastTimestamp: Timestamp
    }

    /// Kafka's `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`; clients cap in-flight requests at the same number.
    static let batchesToRetain = 5
    private(set) var producers: [ProducerID: Entry] = [:]
    private let directory: String
    private let fileSystem: any FileSystem

    init(directory: String, fileSystem: any FileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// What to do with a batch from an idempotent producer.
    enum Check: Equatable {
        case append
        /// Already in the log: answer with these offsets.
        case duplicate(BatchMetadata)
    }

    /// Kafka's sequence rules: a newer epoch must start at sequence 0; an older one is fenced; within an epoch,
    /// an exact repeat of one of the last five batches is a duplicate, anything else must follow the last sequence.
    func check(_ header: RecordBatchHeader) throws -> Check {
        guard header.isIdempotent, let entry = producers[header.producerId] else { return .append }
        if header.producerEpoch < entry.epoch {
            throw LogError(.invalidProducerEpoch, "producer \(header.producerId) epoch \(header.producerEpoch) is older than the current epoch \(entry.epoch)")
        }
        if header.producerEpoch > entry.epoch {
            guard header.baseSequence == 0 else {
                throw LogError(.outOfOrderSequenceNumber, "producer \(header.producerId) started epoch \(header.producerEpoch) at sequence \(header.baseSequence); a new epoch starts at 0")
            }
            return .append
        }
        if let duplicate = entry.batches.first(where: { $0.firstSequence == header.baseSequence && $0.lastSequence == header.lastSequence }) {
            return .duplicate(duplicate)
        }
        let last = entry.batches.last?.lastSequence ?? -1
        let expected = last == Int32.max ? 0 : last + 1
        guard header.baseSequence == expected else {
            throw LogError(.outOfOrderSequenceNumber, "producer \(header.producerId) sent sequence \(header.baseSequence); expected \(expected)")
        }
        return .append
    }

    /// Records an appended batch (offsets assigned).
    func update(_ header: RecordBatchHeader) {
        guard header.isIdempotent else { return }
        let batch = BatchMetadata(
            firstSequence: header.baseSequence, lastSequence: header.lastSequence, firstOffset: header.baseOffset,
            lastOffset: header.lastOffset, timestamp: header.maxTimestamp)
        var entry = producers[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [], lastTimestamp: -1)
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch, batches: [], lastTimestamp: -1)
        }
        entry.batches.append(batch)
        if entry.batches.count > Self.batchesToRetain { entry.batches.removeFirst() }
        entry.lastTimestamp = header.maxTimestamp
        producers[header.producerId] = entry
    }

    /// Forgets all state (before a rebuild).
    func clear() { producers.removeAll() }

    // MARK: - Snapshots

    /// Writes the state as of `offset` (the log end) to `<offset>.snapshot` and keeps only the two latest snapshots.
    func takeSnapshot(at offset: Offset) throws {
        var bytes: [UInt8] = []
        append(Int16(1), to: &bytes)  // version
        append(UInt32(0), to: &bytes)  // CRC-32C of what follows, filled in below
        append(Int32(producers.count), to: &bytes)
        for (id, entry) in producers.sorted(by: { $0.key < $1.key }) {
            append(id, to: &bytes)
            append(entry.epoch, to: &bytes)
            append(entry.lastTimestamp, to: &bytes)
            append(Int32(entry.batches.count), to: &bytes)
            for batch in entry.batches {
                append(batch.firstSequence, to: &bytes)
                append(batch.lastSequence, to: &bytes)
                append(batch.firstOffset, to: &bytes)
                append(batch.lastOffset, to: &bytes)
                append(batch.timestamp, to: &bytes)
            }
        }
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[6...])) }
        bytes.withUnsafeMutableBytes { $0.storeBigEndian(crc, at: 2) }
        try fileSystem.writeAtomically(bytes, to: directory + "/" + LogSegment.fileName(offset, ".snapshot"))
        for old in try snapshotOffsets().dropLast(2) {
            try fileSystem.removeItem(directory + "/" + LogSegment.fileName(old, ".snapshot"))
        }
    }

    /// Loads the latest valid snapshot at or below `maxOffset`, deleting the ones above it; returns its offset
    /// (the point to replay the log from), or nil when there is none.
    func loadLatestSnapshot(atOrBelow maxOffset: Offset) throws -> Offset? {
        clear()
        for offset in try snapshotOffsets().reversed() {
            let path = directory + "/" + LogSegment.fileName(offset, ".snapshot")
            if offset > maxOffset {
                try fileSystem.removeItem(path)
                continue
            }
            if let bytes = try fileSystem.readFile(path), let state = Self.decode(bytes) {
                producers = state
                return offset
            }
            try fileSystem.removeItem(path)  // corrupt: fall back to an older one
        }
        return nil
    }

    func snapshotOffsets() throws -> [Offset] {
        try fileSystem.contentsOfDirectory(directory).compactMap { name in
            name.hasSuffix(".snapshot") ? Offset(name.dropLast(".snapshot".count)) : nil
        }.sorted()
    }

    static func decode(_ bytes: [UInt8]) -> [ProducerID: Entry]? {
        bytes.withUnsafeBytes { raw -> [ProducerID: Entry]? in
            guard raw.count >= 10, raw.loadBigEndian(at: 0, as: Int16.self) == 1,
                raw.loadBigEndian(at: 2, as: UInt32.self) == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[6...]))
            else { return nil }
            var reader = BigEndianReader(raw, at: 6)
            guard let count = reader.int32(), count >= 0 else { return nil }
            var result: [ProducerID: Entry] = [:]
            for _ in 0..<count {
                guard let id = reader.int64(), let epoch = reader.int16(), let last = reader.int64(),
                    let batchCount = reader.int32(), batchCount >= 0, batchCount <= Int32(batchesToRetain)
                else { return nil }
                var entry = Entry(epoch: epoch, batches: [], lastTimestamp: last)
                for _ in 0..<batchCount {
                    guard let firstSeq = reader.int32(), let lastSeq = reader.int32(), let firstOffset = reader.int64(),
                        let lastOffset = reader.int64(), let timestamp = reader.int64()
                    else { return nil }
                    entry.batches.append(BatchMetadata(firstSequence: firstSeq, lastSequence: lastSeq, firstOffset: firstOffset, lastOffset: lastOffset, timestamp: timestamp))
                }
                result[id] = entry
            }
            return result
        }
    }

    private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
