import SluiceCore

/// One partition's log (Kafka's `UnifiedLog`): a directory of segments, the offsets that bound it, its leader-epoch
/// cache and idempotent-producer state. Thread-safe: appends, truncation, retention and segment swaps run under one
/// lock; reads take the lock only to find where to read and then read the files without it.
///
/// Offsets: `logStartOffset` ≤ `highWatermark` ≤ `logEndOffset`. Consumers read below the high watermark; the
/// replication layer moves it (a single-replica log moves it to the log end after each append).
public final class PartitionLog: @unchecked Sendable {
    // @unchecked: every mutable stored property is read and written only with `lock` held.
    public let topicPartition: TopicPartition
    public let directory: String
    let fileSystem: any FileSystem
    let clock: any Clock
    let lock = Lock()

    var config: LogConfig
    var segments: [LogSegment]
    var _logStartOffset: Offset
    var _highWatermark: Offset
    var recoveryPoint: Offset
    let epochCache: LeaderEpochCache
    let producerState: ProducerStateManager
    var unflushedMessages: Int64 = 0
    var unflushedBytes: Int64 = 0
    /// Interval policies: the active segment's bytes appended since writeback of them was last started.
    var unstartedBytes: Int64 = 0
    var firstUnflushedTime: Timestamp?
    var isClosed = false
    /// The active segment's base offset when the cleaner last ran: a newer one means there is a new closed segment.
    var lastCleanedActiveBase: Offset = -1
    /// The checkpoint file's contents as last written by this process: an unchanged checkpoint is not rewritten.
    var lastCheckpoint: String?

    init(
        topicPartition: TopicPartition, directory: String, config: LogConfig, fileSystem: any FileSystem,
        clock: any Clock, segments: [LogSegment], logStartOffset: Offset, highWatermark: Offset,
        epochCache: LeaderEpochCache, producerState: ProducerStateManager
    ) {
        self.topicPartition = topicPartition
        self.directory = directory
        self.config = config
        self.fileSystem = fileSystem
        self.clock = clock
        self.segments = segments
        self._logStartOffset = logStartOffset
        self._highWatermark = highWatermark
        self.recoveryPoint = segments.last!.nextOffset
        self.epochCache = epochCache
        self.producerState = producerState
    }

    // MARK: - Offsets

    public var logStartOffset: Offset { lock.withLock { _logStartOffset } }
    public var logEndOffset: Offset { lock.withLock { activeSegment.nextOffset } }
    public var highWatermark: Offset { lock.withLock { _highWatermark } }
    /// Bytes of all segments.
    public var sizeInBytes: Int64 { lock.withLock { segments.reduce(0) { $0 + $1.size } } }
    public var segmentCount: Int { lock.withLock { segments.count } }
    public var currentConfig: LogConfig { lock.withLock { config } }
    public var latestLeaderEpoch: LeaderEpoch? { lock.withLock { epochCache.latestEpoch } }

    var activeSegment: LogSegment { segments[segments.count - 1] }

    /// Moves the high watermark, clamped to [logStartOffset, logEndOffset].
    public func updateHighWatermark(_ offset: Offset) {
        lock.withLock { _highWatermark = min(max(offset, _logStartOffset), activeSegment.nextOffset) }
    }

    /// Moves the high watermark forward to `offset` if it is higher (never back): concurrent appenders may finish
    /// out of order, and the later one must not pull the mark below what the earlier one made visible.
    public func advanceHighWatermark(to offset: Offset) {
        lock.withLock { _highWatermark = max(_highWatermark, min(offset, activeSegment.nextOffset)) }
    }

    public func updateConfig(_ newConfig: LogConfig) {
        lock.withLock { config = newConfig }
    }

    /// Kafka's OffsetForLeaderEpoch answer: the largest epoch ≤ `epoch` and its end offset.
    public func endOffset(forLeaderEpoch epoch: LeaderEpoch) -> (epoch: LeaderEpoch, endOffset: Offset) {
        lock.withLock { epochCache.endOffset(for: epoch, logEndOffset: activeSegment.nextOffset) }
    }

    // MARK: - Append

    /// What an append did.
    public struct AppendResult: Sendable, Equatable {
        public var firstOffset: Offset
        public var lastOffset: Offset
        /// The broker time stamped on the batches when the topic uses LogAppendTime; -1 otherwise.
        public var logAppendTime: Timestamp
        public var logStartOffset: Offset
        /// True when the batch was a retry of one already in the log; the offsets are the original ones.
        public var isDuplicate: Bool
    }

    /// Appends whole record batches as the partition leader: validates them (sizes, magic, CRC, producer
    /// sequences, keys on compacted topics), assigns offsets by rewriting base offset and leader epoch in
    /// `batches`, writes the bytes unchanged otherwise, and returns once the durability policy is met.
    /// On any error nothing is appended.
    public func append(_ batches: inout [UInt8], leaderEpoch: LeaderEpoch = 0) throws -> AppendResult {
        let config = currentConfig
        guard !batches.isEmpty else { throw LogError(.corruptMessage, "produce request holds no record batch") }
        var headers = try batches.withUnsafeBytes { try RecordBatch.validateAll($0, maxBatchSize: config.maxMessageBytes) }
        if config.compacts { try Self.requireKeys(batches, headers) }
        return try lock.withLock { try appendLocked(&batches, headers: &headers, leaderEpoch: leaderEpoch) }
    }

    /// `headers` are the batches' parsed headers; they leave with the assigned offsets.
    private func appendLocked(_ batches: inout [UInt8], headers assigned: inout [RecordBatchHeader], leaderEpoch: LeaderEpoch) throws -> AppendResult {
        guard !isClosed else { throw LogError(.storageError, "partition \(topicPartition) is closed") }
        for header in assigned where header.isIdempotent {
            if case .duplicate(let original) = try producerState.check(header) {
                guard assigned.count == 1 else {
                    throw LogError(.outOfOrderSequenceNumber, "a retried batch must be sent alone")
                }
                return AppendResult(firstOffset: original.firstOffset, lastOffset: original.lastOffset, logAppendTime: -1,
                                    logStartOffset: _logStartOffset, isDuplicate: true)
            }
        }
        let now = clock.milliseconds()
        let firstOffset = activeSegment.nextOffset
        batches.withUnsafeMutableBytes { bytes in
            var position = 0
            var next = firstOffset
            for i in assigned.indices {
                let size = assigned[i].sizeInBytes
                let batch = UnsafeMutableRawBufferPointer(rebasing: bytes[position..<position + size])
                RecordBatch.assign(baseOffset: next, partitionLeaderEpoch: leaderEpoch, in: batch)
                if config.logAppendTime {
                    RecordBatch.stampLogAppendTime(now, in: batch, size: size)
                    assigned[i] = RecordBatchHeader(parsing: UnsafeRawBufferPointer(batch))
                } else {
                    // Only the two fields outside the CRC changed.
                    assigned[i].baseOffset = next
                    assigned[i].partitionLeaderEpoch = leaderEpoch
                }
                next = assigned[i].nextOffset
                position += size
            }
        }
        try maybeRoll(incomingBytes: batches.count, firstTimestamp: assigned[0].maxTimestamp, lastOffset: assigned.last!.lastOffset, now: now)
        do {
            try batches.withUnsafeBytes { try activeSegment.append($0, headers: assigned) }
        } catch let error as IOError {
            throw LogError(error)
        }
        try epochCache.assign(epoch: leaderEpoch, startOffset: firstOffset)
        for header in assigned { producerState.update(header) }
        try afterAppend(bytes: Int64(batches.count), messages: assigned.reduce(0) { $0 + Int64($1.recordsCount) }, now: now)
        return AppendResult(firstOffset: firstOffset, lastOffset: assigned.last!.lastOffset,
                            logAppendTime: config.logAppendTime ? now : -1, logStartOffset: _logStartOffset, isDuplicate: false)
    }

    /// Compacted topics reject records without a key (Kafka's INVALID_RECORD), because compaction keeps the latest
    /// record per key.
    static func requireKeys(_ batches: [UInt8], _ headers: [RecordBatchHeader]) throws {
        var reader = RecordBatchReader()
        try batches.withUnsafeBytes { bytes in
            var position = 0
            for header in headers {
                let batch = UnsafeRawBufferPointer(rebasing: bytes[position..<position + header.sizeInBytes])
                try reader.forEachRecord(in: batch, header: header) { record in
                    if record.key == nil {
                        throw LogError(.invalidRecord, "compacted topic: record at offset delta \(record.offset - header.baseOffset) has no key")
                    }
                }
                position += header.sizeInBytes
            }
        }
    }

    // MARK: - Roll and flush

    /// Starts a new segment when the active one is full, too old, has a full index, or the next offsets would
    /// not fit its 32-bit relative offsets (Kafka's `LogSegment.shouldRoll`).
    func maybeRoll(incomingBytes: Int, firstTimestamp: Timestamp, lastOffset: Offset, now: Timestamp) throws {
        let active = activeSegment
        guard !active.isEmpty else { return }
        let full = active.size + Int64(incomingBytes) > config.segmentBytes
        // Kafka measures a segment's age in message time when it has a first batch, else in wall-clock time.
        let age = active.maxTimestamp >= 0 ? firstTimestamp - active.rollingTimestamp : now - active.rollingTimestamp
        let old = age > config.segmentMs
        let indexFull = active.offsetIndex.isFull || active.timeIndex.isFull
        let overflow = lastOffset - active.baseOffset > Int64(Int32.max)
        if full || old || indexFull || overflow { try roll(now: now) }
    }

    /// Closes the active segment for appends and opens a new one at the log end.
    func roll(now: Timestamp) throws {
        let next = activeSegment.nextOffset
        do {
            try activeSegment.flush(sync: true)
            try producerState.takeSnapshot(at: next)
            segments.append(try LogSegment(directory: directory, baseOffset: next, config: config, fileSystem: fileSystem, now: now))
            try fileSystem.syncDirectory(directory)
        } catch let error as IOError {
            throw LogError(error)
        }
        recoveryPoint = next
        unflushedMessages = 0
        unflushedBytes = 0
        unstartedBytes = 0
        firstUnflushedTime = nil
        try writeCheckpoint()
    }

    static let writebackChunk: Int64 = 256 << 10

    private func afterAppend(bytes: Int64, messages: Int64, now: Timestamp) throws {
        unflushedBytes += bytes
        unflushedMessages += messages
        if firstUnflushedTime == nil { firstUnflushedTime = now }
        switch config.durability {
        case .everyBatch:
            try flushLocked()
        case .interval(let maxMessages, let maxBytes, _):
            // Start writing the appended bytes out as they come (every 256 KiB), so that the flush that makes them
            // durable waits for the last part only, not for the whole interval's worth (as RocksDB's bytes_per_sync).
            unstartedBytes += bytes
            if unstartedBytes >= Self.writebackChunk {
                // Clamped: a truncation or a roll since the count started may have left fewer bytes in this segment.
                let end = activeSegment.size
                let start = max(0, end - unstartedBytes)
                activeSegment.log.startWriteback(offset: start, length: end - start)
                unstartedBytes = 0
            }
            if let maxMessages, unflushedMessages >= maxMessages { try flushLocked() }
            if let maxBytes, unflushedBytes >= maxBytes { try flushLocked() }
        case .operatingSystem:
            break
        }
    }

    /// Forces everything appended to disk.
    public func flush() throws {
        try lock.withLock { try flushLocked() }
    }

    /// Flushes when the time trigger of an interval policy has passed. Called periodically by the log manager.
    public func flushIfDue() throws {
        try lock.withLock {
            guard case .interval(_, _, let milliseconds?) = config.durability, let first = firstUnflushedTime,
                clock.milliseconds() - first >= milliseconds
            else { return }
            try flushLocked()
        }
    }

    func flushLocked() throws {
        guard unflushedBytes > 0 || firstUnflushedTime != nil else { return }
        do {
            try activeSegment.log.sync()
        } catch let error as IOError {
            throw LogError(error)
        }
        recoveryPoint = activeSegment.nextOffset
        unflushedBytes = 0
        unstartedBytes = 0
        unflushedMessages = 0
        firstUnflushedTime = nil
    }

    /// Compacts the log when cleanup.policy includes compact and the dirty part (closed segments appended since the
    /// last clean) is at least min.cleanable.dirty.ratio of the closed segments, as Kafka's cleaner chooses logs.
    @discardableResult
    public func compactIfDirty() throws -> LogCleaner.Result? {
        let (due, base) = lock.withLock { () -> (Bool, Offset) in
            let closed = segments.dropLast()
            guard config.compacts, !closed.isEmpty, activeSegment.baseOffset != lastCleanedActiveBase else { return (false, 0) }
            let total = closed.reduce(Int64(0)) { $0 + $1.size }
            let dirty = closed.filter { $0.baseOffset >= lastCleanedActiveBase }.reduce(Int64(0)) { $0 + $1.size }
            return (total > 0 && Double(dirty) / Double(total) >= config.minCleanableDirtyRatio, activeSegment.baseOffset)
        }
        guard due else { return nil }
        let result = try LogCleaner().clean(self)
        lock.withLock { lastCleanedActiveBase = base }
        return result
    }

    // MARK: - Checkpoint

    static let checkpointFile = "partition-checkpoint"

    /// Persists log start offset, recovery point and high watermark (write-temp-fsync-rename).
    /// Skipped when the contents would not change: `sluice serve`'s maintenance pass checkpoints every partition
    /// every few seconds, and an idle partition (most of __consumer_offsets' 50) would otherwise cost two fsyncs
    /// and a rename each time.
    func writeCheckpoint() throws {
        let text = "0\nlogStartOffset \(_logStartOffset)\nrecoveryPoint \(recoveryPoint)\nhighWatermark \(_highWatermark)\n"
        guard text != lastCheckpoint else { return }
        do {
            try fileSystem.writeAtomically(Array(text.utf8), to: directory + "/" + Self.checkpointFile)
        } catch let error as IOError {
            throw LogError(error)
        }
        lastCheckpoint = text
    }

    /// Writes the checkpoint now (periodic, so that recovery after a crash scans less).
    public func checkpoint() throws {
        try lock.withLock { try writeCheckpoint() }
    }
}
