import SluiceCore

extension PartitionLog {
    /// Opens (or creates) the partition in `directory`. After an unclean stop (`cleanShutdown` false) every segment
    /// from the checkpointed recovery point on is scanned batch by batch, CRCs checked, and the log cut at the first
    /// torn or corrupt batch (later segments are dropped); indexes are rebuilt where they are missing or
    /// inconsistent; leftovers of an interrupted compaction are removed; producer state is reloaded from its latest
    /// snapshot plus the batches after it.
    public static func open(
        directory: String, topicPartition: TopicPartition, config: LogConfig, fileSystem: any FileSystem = PosixFileSystem(),
        clock: any Clock = SystemClock(), cleanShutdown: Bool = false
    ) throws -> PartitionLog {
        do {
            return try openOrThrowIO(directory: directory, topicPartition: topicPartition, config: config,
                                     fileSystem: fileSystem, clock: clock, cleanShutdown: cleanShutdown)
        } catch let error as IOError {
            throw LogError(error)
        }
    }

    private static func openOrThrowIO(
        directory: String, topicPartition: TopicPartition, config: LogConfig, fileSystem: any FileSystem,
        clock: any Clock, cleanShutdown: Bool
    ) throws -> PartitionLog {
        try fileSystem.createDirectory(directory)
        let checkpoint = try readCheckpoint(directory: directory, fileSystem: fileSystem)
        let baseOffsets = try removeLeftoversAndListSegments(directory: directory, fileSystem: fileSystem)
        let now = clock.milliseconds()
        var segments: [LogSegment] = []
        var recovering = false
        for (i, base) in baseOffsets.enumerated() {
            let segment = try LogSegment(directory: directory, baseOffset: base, config: config, fileSystem: fileSystem, now: now)
            let nextBase = i + 1 < baseOffsets.count ? baseOffsets[i + 1] : Offset.max
            recovering = recovering || (!cleanShutdown && nextBase > checkpoint.recoveryPoint)
            var cut: Int64 = 0
            if recovering {
                cut = try segment.recover(maxBatchSize: Int(Int32.max))
            } else {
                try segment.load(maxBatchSize: Int(Int32.max))
            }
            if let previous = segments.last, segment.baseOffset < previous.nextOffset, !segment.isEmpty {
                // Overlapping segments cannot come from Sluice; keep the older and drop this one.
                try segment.deleteFiles()
                continue
            }
            segments.append(segment)
            if cut > 0 {
                // Everything after a torn or corrupt batch is untrustworthy: drop later segments.
                for later in baseOffsets[(i + 1)...] {
                    try LogSegment(directory: directory, baseOffset: later, config: config, fileSystem: fileSystem, now: now).deleteFiles()
                }
                break
            }
        }
        if segments.isEmpty {
            segments.append(try LogSegment(directory: directory, baseOffset: checkpoint.logStartOffset, config: config, fileSystem: fileSystem, now: now))
            // Make the new directory and its files durable before anything is acknowledged from them.
            try fileSystem.syncDirectory(directory)
            try fileSystem.syncDirectory(parentDirectory(of: directory))
        }
        let logEnd = segments.last!.nextOffset
        let logStart = min(max(checkpoint.logStartOffset, segments[0].baseOffset), logEnd)
        let epochCache = try LeaderEpochCache(directory: directory, fileSystem: fileSystem)
        try epochCache.truncate(fromEnd: logEnd)
        let producerState = ProducerStateManager(directory: directory, fileSystem: fileSystem)
        try rebuildProducerState(producerState, segments: segments, logStart: logStart, logEnd: logEnd)
        let log = PartitionLog(
            topicPartition: topicPartition, directory: directory, config: config, fileSystem: fileSystem, clock: clock,
            segments: segments, logStartOffset: logStart, highWatermark: min(checkpoint.highWatermark, logEnd),
            epochCache: epochCache, producerState: producerState)
        try log.lock.withLock { try log.writeCheckpoint() }
        return log
    }

    /// Loads the latest producer snapshot and replays batch headers after it.
    private static func rebuildProducerState(
        _ state: ProducerStateManager, segments: [LogSegment], logStart: Offset, logEnd: Offset
    ) throws {
        let from = try state.loadLatestSnapshot(atOrBelow: logEnd) ?? logStart
        for segment in segments where segment.nextOffset > from {
            var scanner = BatchScanner(file: segment.log, from: 0, limit: segment.size, validate: false)
            _ = try scanner.forEach { _, header, _ in
                if header.baseOffset >= from { state.update(header) }
                return true
            }
        }
    }

    struct Checkpoint {
        var logStartOffset: Offset = 0
        var recoveryPoint: Offset = 0
        var highWatermark: Offset = 0
    }

    static func readCheckpoint(directory: String, fileSystem: any FileSystem) throws -> Checkpoint {
        var checkpoint = Checkpoint()
        guard let bytes = try fileSystem.readFile(directory + "/" + checkpointFile) else { return checkpoint }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            switch parts[0] {
            case "logStartOffset": checkpoint.logStartOffset = value
            case "recoveryPoint": checkpoint.recoveryPoint = value
            case "highWatermark": checkpoint.highWatermark = value
            default: break
            }
        }
        return checkpoint
    }

    /// Deletes temporary files of interrupted writes and compactions (`.tmp`, `.cleaned`) and index files whose log
    /// is gone; returns the base offsets of the segments, ascending.
    static func removeLeftoversAndListSegments(directory: String, fileSystem: any FileSystem) throws -> [Offset] {
        let names = try fileSystem.contentsOfDirectory(directory)
        var logs: Set<Offset> = []
        for name in names where name.hasSuffix(".log") {
            if let base = Offset(name.dropLast(4)) { logs.insert(base) }
        }
        for name in names {
            let isLeftover = name.hasSuffix(".tmp") || name.hasSuffix(".cleaned")
            let orphanIndex = (name.hasSuffix(".index") || name.hasSuffix(".timeindex"))
                && Offset(name.split(separator: ".")[0]).map { !logs.contains($0) } ?? false
            if isLeftover || orphanIndex { try fileSystem.removeItem(directory + "/" + name) }
        }
        return logs.sorted()
    }

    /// Flushes everything, snapshots producer state and writes the checkpoint; after a clean close the next open
    /// skips the recovery scan.
    public func close() throws {
        try lock.withLock {
            guard !isClosed else { return }
            do {
                for segment in segments { try segment.flush(sync: true) }
                recoveryPoint = activeSegment.nextOffset
                try producerState.takeSnapshot(at: activeSegment.nextOffset)
            } catch let error as IOError {
                throw LogError(error)
            }
            try writeCheckpoint()
            for segment in segments { segment.close() }
            isClosed = true
        }
    }

    /// Deletes the partition's directory (topic deletion).
    func deleteFiles() throws {
        try lock.withLock {
            isClosed = true
            do { try fileSystem.removeItem(directory) } catch let error as IOError { throw LogError(error) }
        }
    }
}
