import SluiceCore

/// Key compaction (cleanup.policy=compact): rewrites each closed segment keeping only the latest record per key,
/// with every kept record's offset unchanged (gaps are normal in a compacted log), and drops tombstones (null values)
/// older than delete.retention.ms. Batches keep their base offset, last offset delta and producer fields, so that
/// idempotent-producer state survives; a batch left with no records stays as an empty header when it carries a
/// producer id. Batches in codecs Sluice cannot decode, and control batches, are copied unchanged.
///
/// Appends and reads go on while it runs: the offset map and rewritten files are built without the partition lock,
/// and each segment is swapped in under it. Crash safety: the new segment is written to `<base>.cleaned` and synced,
/// the old indexes are deleted, then `rename` replaces the log file atomically; a crash leaves either the old
/// segment (a `.cleaned` leftover is deleted at open) or the new one with indexes to rebuild.
public struct LogCleaner {
    public struct Result: Equatable, Sendable {
        public var segmentsCleaned = 0
        public var recordsRemoved = 0
        public var bytesBefore: Int64 = 0
        public var bytesAfter: Int64 = 0
    }

    public init() {}

    public func clean(_ log: PartitionLog) throws -> Result {
        let (closed, active, activeSize, config) = log.lock.withLock {
            (Array(log.segments.dropLast()), log.activeSegment, log.activeSegment.size, log.config)
        }
        guard !closed.isEmpty else { return Result() }
        let latest = try buildOffsetMap(closed.map { ($0, $0.size) } + [(active, activeSize)])
        let horizon = log.clock.milliseconds() - config.deleteRetentionMs
        var result = Result()
        for segment in closed {
            let cleanedPath = segment.directory + "/" + LogSegment.fileName(segment.baseOffset, ".cleaned")
            let (removed, newSize) = try rewrite(segment, latest: latest, tombstoneHorizon: horizon, to: cleanedPath, fileSystem: log.fileSystem)
            result.bytesBefore += segment.size
            guard removed > 0 else {
                try log.fileSystem.removeItem(cleanedPath)
                result.bytesAfter += segment.size
                continue
            }
            try swap(segment, withCleanedFile: cleanedPath, in: log, config: config)
            result.segmentsCleaned += 1
            result.recordsRemoved += removed
            result.bytesAfter += newSize
        }
        return result
    }

    /// Key → offset of its latest record, over every segment up to the given sizes.
    private func buildOffsetMap(_ segments: [(LogSegment, Int64)]) throws -> [[UInt8]: Offset] {
        var latest: [[UInt8]: Offset] = [:]
        var reader = RecordBatchReader()
        for (segment, size) in segments {
            var scanner = BatchScanner(file: segment.log, from: 0, limit: size, validate: false)
            _ = try scanner.forEach { _, header, bytes in
                guard !header.isControl, header.compression?.isDecodable == true else { return true }
                try reader.forEachRecord(in: bytes, header: header) { record in
                    if let key = record.key { latest[Array(key)] = record.offset }
                }
                return true
            }
        }
        return latest
    }

    /// Writes the cleaned copy of `segment`; returns the number of records dropped and the new size.
    private func rewrite(
        _ segment: LogSegment, latest: [[UInt8]: Offset], tombstoneHorizon: Timestamp, to path: String, fileSystem: any FileSystem
    ) throws -> (Int, Int64) {
        let output = try fileSystem.openFile(path, create: true)
        defer { output.close() }
        try output.truncate(to: 0)
        var written: Int64 = 0
        var removed = 0
        var reader = RecordBatchReader()
        var scanner = BatchScanner(file: segment.log, from: 0, limit: segment.size, validate: false)
        _ = try scanner.forEach { _, header, bytes in
            var out: [UInt8]? = Array(bytes)
            if !header.isControl && header.compression?.isDecodable == true {
                var builder = RecordBatchBuilder(options: Self.options(from: header))
                var dropped = 0
                try reader.forEachRecord(in: bytes, header: header) { record in
                    let isLatest = record.key.map { latest[Array($0)] == record.offset } ?? true
                    let expiredTombstone = record.value == nil && record.timestamp < tombstoneHorizon
                    guard isLatest && !expiredTombstone else {
                        dropped += 1
                        return
                    }
                    builder.append(timestamp: record.timestamp, offsetDelta: record.offset - header.baseOffset,
                                   key: record.key, value: record.value, headers: record.headers())
                }
                if dropped > 0 {
                    removed += dropped
                    out = builder.isEmpty && !header.isIdempotent ? nil : try builder.build(lastOffsetDelta: header.lastOffsetDelta)
                }
            }
            if let out {
                try out.withUnsafeBytes { try output.write($0, at: written) }
                written += Int64(out.count)
            }
            return true
        }
        try output.sync()
        return (removed, written)
    }

    static func options(from header: RecordBatchHeader) -> RecordBatchBuilder.Options {
        var options = RecordBatchBuilder.Options()
        options.compression = header.compression ?? .none
        options.producerId = header.producerId
        options.producerEpoch = header.producerEpoch
        options.baseSequence = header.baseSequence
        options.isTransactional = header.isTransactional
        options.baseOffset = header.baseOffset
        options.partitionLeaderEpoch = header.partitionLeaderEpoch
        return options
    }

    /// Replaces `segment` by the cleaned file, under the partition lock, if it is still part of the log.
    private func swap(_ segment: LogSegment, withCleanedFile path: String, in log: PartitionLog, config: LogConfig) throws {
        try log.lock.withLock {
            guard let index = log.segments.firstIndex(where: { $0 === segment }), index < log.segments.count - 1 else {
                try log.fileSystem.removeItem(path)  // truncated or deleted meanwhile
                return
            }
            let directory = segment.directory
            let base = segment.baseOffset
            try log.fileSystem.removeItem(directory + "/" + LogSegment.fileName(base, ".index"))
            try log.fileSystem.removeItem(directory + "/" + LogSegment.fileName(base, ".timeindex"))
            try log.fileSystem.rename(path, to: directory + "/" + LogSegment.fileName(base, ".log"))
            try log.fileSystem.syncDirectory(directory)
            let replacement = try LogSegment(directory: directory, baseOffset: base, config: config, fileSystem: log.fileSystem, now: log.clock.milliseconds())
            try replacement.recover(maxBatchSize: Int(Int32.max))
            log.segments[index] = replacement
        }
    }
}
