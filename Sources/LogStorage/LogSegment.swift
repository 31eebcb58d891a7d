import SluiceCore

/// One segment of a partition: `<baseOffset>.log` holding whole record batches back to back, with its sparse
/// `.index` and `.timeindex` (Kafka's `LogSegment`). Not thread-safe: `PartitionLog` serialises writers under its
/// lock; readers use positional reads bounded by a size they read under that lock.
final class LogSegment {
    let baseOffset: Offset
    let directory: String
    private let fileSystem: any FileSystem
    private(set) var log: any FileHandle
    let offsetIndex: OffsetIndex
    let timeIndex: TimeIndex
    /// Bytes of whole batches in the log file.
    private(set) var size: Int64
    /// The offset after the last batch (the segment's base offset while empty).
    private(set) var nextOffset: Offset
    /// Largest batch max-timestamp seen; -1 while empty.
    private(set) var maxTimestamp: Timestamp = -1
    /// Timestamp that segment.ms measures the segment's age from: its first batch's max timestamp, or the time it
    /// was created while it is empty.
    private(set) var rollingTimestamp: Timestamp
    private var bytesSinceLastIndexEntry = 0
    private let indexIntervalBytes: Int

    static func fileName(_ baseOffset: Offset, _ suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// Opens the segment at `baseOffset` in `directory`, creating empty files when it does not exist. Indexes that
    /// fail their sanity check are rebuilt by scanning the log.
    init(
        directory: String, baseOffset: Offset, config: LogConfig, fileSystem: any FileSystem, now: Timestamp
    ) throws {
        self.baseOffset = baseOffset
        self.directory = directory
        self.fileSystem = fileSystem
        self.indexIntervalBytes = config.indexIntervalBytes
        log = try fileSystem.openFile(directory + "/" + Self.fileName(baseOffset, ".log"), create: true)
        offsetIndex = try OffsetIndex(
            file: try fileSystem.openFile(directory + "/" + Self.fileName(baseOffset, ".index"), create: true),
            baseOffset: baseOffset, maxIndexBytes: config.segmentIndexBytes)
        timeIndex = try TimeIndex(
            file: try fileSystem.openFile(directory + "/" + Self.fileName(baseOffset, ".timeindex"), create: true),
            baseOffset: baseOffset, maxIndexBytes: config.segmentIndexBytes)
        size = try log.size()
        nextOffset = baseOffset
        rollingTimestamp = now
    }

    var isEmpty: Bool { size == 0 }
    var lastOffset: Offset { nextOffset - 1 }

    // MARK: - Append

    /// Appends whole batches (offsets already assigned) at the end of the log file. On a write error the file is
    /// cut back to its previous size, so no partial batch stays behind.
    func append(_ bytes: UnsafeRawBufferPointer, headers: [RecordBatchHeader]) throws {
        let start = size
        do {
            try log.write(bytes, at: start)
        } catch {
            try? log.truncate(to: start)
            throw error
        }
        var position = start
        for header in headers {
            noteBatch(header, at: position)
            position += Int64(header.sizeInBytes)
        }
        size = position
    }

    /// Updates offsets, timestamps and the sparse indexes for a batch at `position`.
    private func noteBatch(_ header: RecordBatchHeader, at position: Int64) {
        if maxTimestamp < 0 && nextOffset == baseOffset { rollingTimestamp = header.maxTimestamp }
        if bytesSinceLastIndexEntry > indexIntervalBytes || (position == 0 && offsetIndex.count == 0) {
            offsetIndex.append(offset: header.baseOffset, position: position)
            if header.maxTimestamp > (timeIndex.lastTimestamp ?? -1) && header.maxTimestamp > maxTimestamp {
                timeIndex.append(timestamp: header.maxTimestamp, offset: header.lastOffset)
            }
            bytesSinceLastIndexEntry = 0
        }
        bytesSinceLastIndexEntry += header.sizeInBytes
        maxTimestamp = max(maxTimestamp, header.maxTimestamp)
        nextOffset = header.nextOffset
    }

    // MARK: - Read

    /// The position and header of the first batch whose last offset is ≥ `offset`, scanning from the index's
    /// floor entry; nil when the segment holds no such batch below `limit`.
    func translateOffset(_ offset: Offset, limit: Int64) throws -> (position: Int64, header: RecordBatchHeader)? {
        try translateOffset(offset, from: offsetIndex.lookup(offset).position, limit: limit)
    }

    /// As above, scanning from `start` (an index position found under the partition lock), without touching the
    /// in-memory index: safe for readers outside the lock.
    func translateOffset(_ offset: Offset, from start: Int64, limit: Int64) throws -> (position: Int64, header: RecordBatchHeader)? {
        var scanner = BatchScanner(file: log, from: min(start, limit), limit: limit, validate: false)
        var found: (Int64, RecordBatchHeader)?
        _ = try scanner.forEach(chunkSize: 64 << 10) { position, header, _ in
            if header.lastOffset >= offset {
                found = (position, header)
                return false
            }
            return true
        }
        return found
    }

    /// Whole batches from `position`, at most `maxBytes` of them (but always the first, so that a consumer makes
    /// progress past a batch larger than its limit, as KIP-74 specifies), stopping before any batch whose last
    /// offset is ≥ `maxOffset` and at `limit`.
    func read(from position: Int64, maxBytes: Int, maxOffset: Offset, limit: Int64) throws -> [UInt8] {
        guard position < limit else { return [] }
        var firstSize = RecordBatchHeader.size
        var headerBytes = [UInt8](repeating: 0, count: RecordBatchHeader.size)
        if try headerBytes.withUnsafeMutableBytes({ try log.read(into: $0, at: position) }) == RecordBatchHeader.size {
            firstSize = headerBytes.withUnsafeBytes { RecordBatchHeader(parsing: $0).sizeInBytes }
        }
        let want = Int(min(Int64(max(maxBytes, firstSize)), limit - position))
        var bytes = [UInt8](repeating: 0, count: want)
        let got = try bytes.withUnsafeMutableBytes { try log.read(into: $0, at: position) }
        let keep = bytes.withUnsafeBytes { raw in Self.wholeBatchPrefix(UnsafeRawBufferPointer(rebasing: raw[0..<got]), maxOffset: maxOffset) }
        bytes.removeLast(want - keep)
        return bytes
    }

    /// Length of the longest prefix of `bytes` made of whole batches with last offset < `maxOffset`.
    static func wholeBatchPrefix(_ bytes: UnsafeRawBufferPointer, maxOffset: Offset) -> Int {
        var position = 0
        while bytes.count - position >= RecordBatchHeader.size {
            let header = RecordBatchHeader(parsing: UnsafeRawBufferPointer(rebasing: bytes[position...]))
            guard header.batchLength > 0, position + header.sizeInBytes <= bytes.count, header.lastOffset < maxOffset else {
                break
            }
            position += header.sizeInBytes
        }
        return position
    }

    /// The first record with timestamp ≥ `timestamp` below `limit`: its offset and timestamp.
    func findOffset(byTimestamp timestamp: Timestamp, limit: Int64) throws -> (offset: Offset, timestamp: Timestamp)? {
        guard maxTimestamp >= timestamp else { return nil }
        let startOffset = timeIndex.lookup(timestamp)
        let start = offsetIndex.lookup(startOffset).position
        var scanner = BatchScanner(file: log, from: start, limit: limit, validate: false)
        var reader = RecordBatchReader()
        var found: (Offset, Timestamp)?
        _ = try scanner.forEach { _, header, bytes in
            guard header.maxTimestamp >= timestamp else { return true }
            try reader.forEachRecord(in: bytes, header: header) { record in
                if found == nil && record.timestamp >= timestamp { found = (record.offset, record.timestamp) }
            }
            return found == nil
        }
        return found
    }

    // MARK: - Recovery and truncation

    /// Validates every batch from the start, rebuilds both indexes, and cuts the file at the first torn or corrupt
    /// batch. `onBatch` sees each valid batch (producer-state rebuild). Returns the number of bytes cut off.
    @discardableResult
    func recover(maxBatchSize: Int, onBatch: (RecordBatchHeader) -> Void = { _ in }) throws -> Int64 {
        let fileSize = try log.size()
        offsetIndex.removeAll()
        timeIndex.removeAll()
        resetPosition()
        var scanner = BatchScanner(file: log, from: 0, limit: fileSize, validate: true, maxBatchSize: maxBatchSize)
        var expectedNext = baseOffset
        let stop = try scanner.forEach { position, header, _ in
            guard header.baseOffset >= expectedNext else { return false }  // offsets must ascend
            expectedNext = header.nextOffset
            noteBatch(header, at: position)
            size = position + Int64(header.sizeInBytes)
            onBatch(header)
            return true
        }
        _ = stop
        let truncated = fileSize - size
        if truncated > 0 { try log.truncate(to: size) }
        try flush(sync: true)
        return truncated
    }

    /// Loads offsets and sizes of an already recovered segment (clean shutdown or below the recovery point)
    /// without CRC checks, rebuilding the indexes only if they fail their sanity check.
    func load(maxBatchSize: Int) throws {
        let fileSize = try log.size()
        let indexesOK = offsetIndex.isConsistent(logSize: fileSize)
        let start = indexesOK ? offsetIndex.lastEntry : nil
        resetPosition()
        if let start {
            // Only the tail after the last index entry needs reading for nextOffset and the timestamps.
            bytesSinceLastIndexEntry = 0
            maxTimestamp = timeIndex.lastTimestamp ?? -1
            var scanner = BatchScanner(file: log, from: start.position, limit: fileSize, validate: false, maxBatchSize: maxBatchSize)
            var first = true
            _ = try scanner.forEach { position, header, _ in
                if first && start.position == 0 { rollingTimestamp = header.maxTimestamp }
                first = false
                maxTimestamp = max(maxTimestamp, header.maxTimestamp)
                nextOffset = header.nextOffset
                bytesSinceLastIndexEntry += header.sizeInBytes
                size = position + Int64(header.sizeInBytes)
                return true
            }
            if size > 0 && start.position > 0 { rollingTimestamp = try firstBatchTimestamp() ?? rollingTimestamp }
            if timeIndex.isConsistent(lastOffset: lastOffset) { return }
        }
        try recover(maxBatchSize: maxBatchSize)
    }

    private func firstBatchTimestamp() throws -> Timestamp? {
        var header = [UInt8](repeating: 0, count: RecordBatchHeader.size)
        guard try header.withUnsafeMutableBytes({ try log.read(into: $0, at: 0) }) == RecordBatchHeader.size else { return nil }
        return header.withUnsafeBytes { RecordBatchHeader(parsing: $0).maxTimestamp }
    }

    private func resetPosition() {
        size = 0
        nextOffset = baseOffset
        maxTimestamp = -1
        bytesSinceLastIndexEntry = 0
    }

    /// Removes every batch containing an offset ≥ `offset` (whole batches, as Kafka truncates). Returns the bytes
    /// removed.
    @discardableResult
    func truncate(from offset: Offset) throws -> Int64 {
        guard offset < nextOffset else { return 0 }
        guard let (position, _) = try translateOffset(offset, limit: size) else { return 0 }
        let removed = size - position
        try log.truncate(to: position)
        offsetIndex.truncate(from: offset)
        timeIndex.truncate(from: offset)
        // Recompute the tail state from what remains.
        try flush(sync: true)
        try load(maxBatchSize: Int(Int32.max))
        return removed
    }

    // MARK: - Lifecycle

    func flush(sync: Bool) throws {
        if sync { try log.sync() }
        try offsetIndex.flush(sync: sync)
        try timeIndex.flush(sync: sync)
    }

    func close() {
        try? flush(sync: false)
        log.close()
        offsetIndex.closeFile()
        timeIndex.closeFile()
    }

    /// Deletes the segment's files. Readers holding the segment keep reading the open (unlinked) files.
    func deleteFiles() throws {
        for suffix in [".log", ".index", ".timeindex"] {
            try fileSystem.removeItem(directory + "/" + Self.fileName(baseOffset, suffix))
        }
    }
}
