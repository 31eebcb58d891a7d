import Glibc
import SluiceCore
import Testing

@testable import LogStorage

@Suite struct PartitionLogTests {
    let tp = TopicPartition("t", 0)

    func open(_ dir: TemporaryDirectory, _ config: LogConfig = LogConfig(), clock: any Clock = ManualClock(), clean: Bool = false) throws -> PartitionLog {
        try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: config, clock: clock, cleanShutdown: clean)
    }

    @Test func appendsAssignDenseOffsetsAndReadsReturnThem() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try open(dir)
        var first = try makeBatch(count: 3)
        var second = try makeBatch(count: 2, start: 3)
        #expect(try log.append(&first, leaderEpoch: 0) == .init(firstOffset: 0, lastOffset: 2, logAppendTime: -1, logStartOffset: 0, isDuplicate: false))
        #expect(try log.append(&second, leaderEpoch: 0).firstOffset == 3)
        #expect(log.logEndOffset == 5)
        // Nothing is visible to consumers until the high watermark moves.
        #expect(try log.read(from: 0, maxBytes: 1 << 20).records.isEmpty)
        log.updateHighWatermark(5)
        let records = try decodeAll(try log.read(from: 0, maxBytes: 1 << 20).records)
        #expect(records.map(\.offset) == [0, 1, 2, 3, 4])
        #expect(records.map(\.value) == ["v0", "v1", "v2", "v3", "v4"])
        // A read from the middle of a batch returns the whole batch that holds the offset.
        #expect(try decodeAll(try log.read(from: 4, maxBytes: 1 << 20).records).map(\.offset) == [3, 4])
        #expect(try log.read(from: 5, maxBytes: 1 << 20).records.isEmpty)
        let outOfRange = #expect(throws: LogError.self) { _ = try log.read(from: 6, maxBytes: 100) }
        #expect(outOfRange?.code == .offsetOutOfRange)
    }

    @Test func stoppingBelowTheHighWatermarkAndMaxBytesKeepsWholeBatches() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try open(dir)
        for i in 0..<10 {
            var batch = try makeBatch(count: 10, start: i * 10)
            _ = try log.append(&batch)
        }
        log.updateHighWatermark(35)
        let upToHWM = try decodeAll(try log.read(from: 0, maxBytes: 1 << 20).records)
        #expect(upToHWM.last?.offset == 29)  // the batch 30..39 straddles the high watermark
        // maxBytes smaller than one batch still returns that batch (KIP-74).
        #expect(try decodeAll(try log.read(from: 0, maxBytes: 1).records).count == 10)
    }

    @Test func rollsSegmentsBySizeAndFindsOffsetsAcrossThem() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.segmentBytes = 2_000
        config.indexIntervalBytes = 100
        let log = try open(dir, config)
        for i in 0..<50 {
            var batch = try makeBatch(count: 5, firstTimestamp: Int64(i * 10), start: i * 5)
            _ = try log.append(&batch)
        }
        #expect(log.segmentCount > 2)
        let names = try PosixFileSystem().contentsOfDirectory(dir.path + "/t-0")
        #expect(names.contains("00000000000000000000.log"))
        #expect(names.contains("00000000000000000000.index"))
        #expect(names.contains("00000000000000000000.timeindex"))
        log.updateHighWatermark(log.logEndOffset)
        let all = try readAll(log)
        #expect(all.map(\.offset) == Array(0..<250))
        for offset: Offset in [0, 17, 99, 100, 101, 249] {
            let first = try decodeAll(try log.read(from: offset, maxBytes: 10).records).first { $0.offset == offset }
            #expect(first?.value == "v\(offset)")
        }
    }

    @Test func findsTheFirstOffsetAtOrAfterATimestamp() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.segmentBytes = 1_000
        config.indexIntervalBytes = 50
        let log = try open(dir, config)
        for i in 0..<40 {
            var batch = try makeBatch(count: 2, firstTimestamp: Int64(1_000 + i * 100), start: i * 2)
            _ = try log.append(&batch)
        }
        // Batch i holds offsets 2i (ts 1000+100i) and 2i+1 (ts 1001+100i).
        #expect(try log.offset(forTimestamp: 0)?.offset == 0)
        #expect(try log.offset(forTimestamp: 1_001)?.offset == 1)
        #expect(try log.offset(forTimestamp: 1_002)?.offset == 2)
        #expect(try log.offset(forTimestamp: 3_050)?.offset == 42)
        #expect(try log.offset(forTimestamp: 4_901)?.offset == 79)
        #expect(try log.offset(forTimestamp: 5_000) == nil)
    }

    @Test func recoveryCutsATornTailAndKeepsEverythingBefore() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let log = try open(dir)
            for i in 0..<20 {
                var batch = try makeBatch(count: 3, start: i * 3)
                _ = try log.append(&batch)
            }
            try log.flush()
        }
        // Simulate a crash mid-write: half a batch at the end of the active segment.
        let path = dir.path + "/t-0/00000000000000000000.log"
        let file = try PosixFileSystem().openFile(path, create: false)
        let size = try file.size()
        let partial = try makeBatch(count: 3, start: 60)
        try Array(partial.prefix(40)).withUnsafeBytes { try file.write($0, at: size) }
        file.close()
        let reopened = try open(dir)
        #expect(reopened.logEndOffset == 60)
        reopened.updateHighWatermark(60)
        #expect(try readAll(reopened).count == 60)
        var next = try makeBatch(count: 1, start: 60)
        #expect(try reopened.append(&next).firstOffset == 60)
    }

    @Test func recoveryCutsAtACorruptBatchAndRebuildsTheIndex() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.indexIntervalBytes = 1
        var sizes: [Int] = []
        do {
            let log = try open(dir, config)
            for i in 0..<10 {
                var batch = try makeBatch(count: 2, start: i * 2)
                sizes.append(batch.count)
                _ = try log.append(&batch)
            }
            try log.close()
        }
        // Flip a byte inside batch 6's records and remove the index, then reopen as after a crash.
        let position = sizes[0..<6].reduce(0, +) + 70
        let file = try PosixFileSystem().openFile(dir.path + "/t-0/00000000000000000000.log", create: false)
        var byte: [UInt8] = [0]
        _ = try byte.withUnsafeMutableBytes { try file.read(into: $0, at: Int64(position)) }
        byte[0] ^= 0xFF
        try byte.withUnsafeBytes { try file.write($0, at: Int64(position)) }
        file.close()
        try PosixFileSystem().removeItem(dir.path + "/t-0/00000000000000000000.index")
        let reopened = try open(dir, config)
        #expect(reopened.logEndOffset == 12)
        reopened.updateHighWatermark(12)
        #expect(try readAll(reopened).map(\.offset) == Array(0..<12))
        #expect(try decodeAll(try reopened.read(from: 9, maxBytes: 10).records).first?.offset == 8)
    }

    @Test func cleanShutdownSkipsTheScanAndKeepsState() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.segmentBytes = 500
        do {
            let log = try open(dir, config)
            for i in 0..<30 {
                var batch = try makeBatch(count: 2, start: i * 2)
                _ = try log.append(&batch, leaderEpoch: i < 10 ? 0 : 3)
            }
            log.updateHighWatermark(60)
            try log.close()
        }
        let reopened = try open(dir, config, clean: true)
        #expect(reopened.logEndOffset == 60)
        #expect(reopened.highWatermark == 60)
        #expect(reopened.latestLeaderEpoch == 3)
        #expect(reopened.endOffset(forLeaderEpoch: 0) == (0, 20))
        #expect(reopened.endOffset(forLeaderEpoch: 2) == (0, 20))
        #expect(reopened.endOffset(forLeaderEpoch: 5) == (3, 60))
        #expect(try readAll(reopened).count == 60)
    }

    @Test func retentionDeletesOldSegmentsByTimeAndSize() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock(milliseconds: 1_000_000)
        var config = LogConfig()
        config.segmentBytes = 300
        config.retentionMs = 10_000
        let log = try open(dir, config, clock: clock)
        for i in 0..<20 {
            var batch = try makeBatch(count: 2, firstTimestamp: 1_000_000 + Int64(i) * 1_000, start: i * 2)
            _ = try log.append(&batch)
        }
        let before = log.segmentCount
        #expect(try log.deleteOldSegments() == 0)
        clock.advance(milliseconds: 15_000)  // now 1_015_000: segments whose newest record is before 1_005_000 go
        let deleted = try log.deleteOldSegments()
        #expect(deleted > 0)
        #expect(log.segmentCount == before - deleted)
        #expect(log.logStartOffset > 0)
        let expired = #expect(throws: LogError.self) { _ = try log.read(from: 0, maxBytes: 100) }
        #expect(expired?.code == .offsetOutOfRange)

        var bySize = config
        bySize.retentionMs = -1
        bySize.retentionBytes = 600
        log.updateConfig(bySize)
        try log.deleteOldSegments()
        #expect(log.sizeInBytes <= 600 + 300)
        #expect(log.logEndOffset == 40)
    }

    @Test func idempotentRetriesReturnOriginalOffsetsAndGapsAreErrors() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        func batch(_ sequence: Int32, count: Int = 2, epoch: Int16 = 0) throws -> [UInt8] {
            var options = RecordBatchBuilder.Options()
            options.producerId = 42
            options.producerEpoch = epoch
            options.baseSequence = sequence
            return try makeBatch(count: count, options: options)
        }
        do {
            let log = try open(dir)
            var b0 = try batch(0)
            var b1 = try batch(2)
            #expect(try log.append(&b0).firstOffset == 0)
            #expect(try log.append(&b1).firstOffset == 2)
            var retry = try batch(0)
            let duplicate = try log.append(&retry)
            #expect(duplicate.isDuplicate && duplicate.firstOffset == 0 && duplicate.lastOffset == 1)
            #expect(log.logEndOffset == 4)
            var gap = try batch(7)
            #expect((#expect(throws: LogError.self) { _ = try log.append(&gap) })?.code == .outOfOrderSequenceNumber)
            var newEpochBadStart = try batch(4, epoch: 1)
            #expect((#expect(throws: LogError.self) { _ = try log.append(&newEpochBadStart) })?.code == .outOfOrderSequenceNumber)
            var newEpoch = try batch(0, epoch: 1)
            #expect(try log.append(&newEpoch).firstOffset == 4)
            var fenced = try batch(4, epoch: 0)
            #expect((#expect(throws: LogError.self) { _ = try log.append(&fenced) })?.code == .invalidProducerEpoch)
            #expect(log.logEndOffset == 6)
        }
        // After an unclean stop the state is rebuilt from the log: the retry is still recognised.
        let reopened = try open(dir)
        var retry = try batch(0, epoch: 1)
        #expect(try reopened.append(&retry).isDuplicate)
        var next = try batch(2, epoch: 1)
        #expect(try reopened.append(&next).firstOffset == 6)
    }

    @Test func compactedTopicsRejectRecordsWithoutKeys() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.cleanupPolicy = .compact
        let log = try open(dir, config)
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 1, key: nil, value: Array("x".utf8))
        var keyless = try builder.build()
        #expect((#expect(throws: LogError.self) { _ = try log.append(&keyless) })?.code == .invalidRecord)
        #expect(log.logEndOffset == 0)
    }

    @Test func corruptOrOversizedInputLeavesThePartitionUnchanged() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.maxMessageBytes = 500
        let log = try open(dir, config)
        var good = try makeBatch(count: 1)
        _ = try log.append(&good)
        var big = try makeBatch(count: 100)
        #expect((#expect(throws: LogError.self) { _ = try log.append(&big) })?.code == .messageTooLarge)
        var corrupt = try makeBatch(count: 2)
        corrupt[corrupt.count - 3] ^= 0x55
        #expect((#expect(throws: LogError.self) { _ = try log.append(&corrupt) })?.code == .corruptMessage)
        var twoWithTornSecond = try makeBatch(count: 1) + Array(try makeBatch(count: 1).prefix(20))
        #expect((#expect(throws: LogError.self) { _ = try log.append(&twoWithTornSecond) })?.code == .corruptMessage)
        #expect(log.logEndOffset == 1)
        #expect(log.sizeInBytes == Int64(good.count))
    }

    /// The maintenance pass checkpoints every partition every few seconds: an idle one is not rewritten (each
    /// rewrite is two fsyncs and a rename), a changed one is.
    @Test func anUnchangedCheckpointIsNotRewritten() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fileSystem = FaultyFileSystem()
        let log = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: LogConfig(), fileSystem: fileSystem, clock: ManualClock())
        let temporary = dir.path + "/t-0/" + PartitionLog.checkpointFile + ".tmp"
        try log.checkpoint()
        let written = fileSystem.syncs(of: temporary)
        #expect(written >= 1)
        try log.checkpoint()
        try log.checkpoint()
        #expect(fileSystem.syncs(of: temporary) == written)
        var batch = try makeBatch(count: 3)
        _ = try log.append(&batch)
        log.updateHighWatermark(3)
        try log.checkpoint()
        #expect(fileSystem.syncs(of: temporary) == written + 1)
        let reopened = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: LogConfig(), clock: ManualClock())
        #expect(reopened.highWatermark == 3)
    }

    @Test func diskFullLeavesNoPartialBatchVisible() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fileSystem = FaultyFileSystem()
        let log = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: LogConfig(), fileSystem: fileSystem, clock: ManualClock())
        var first = try makeBatch(count: 5)
        _ = try log.append(&first)
        fileSystem.failWritesAfter(bytes: 30)  // the next write gets ENOSPC part-way
        var second = try makeBatch(count: 5, start: 5)
        let error = #expect(throws: LogError.self) { _ = try log.append(&second) }
        #expect(error?.code == .storageError)
        #expect(log.logEndOffset == 5)
        fileSystem.failWritesAfter(bytes: nil)
        var third = try makeBatch(count: 5, start: 5)
        #expect(try log.append(&third).firstOffset == 5)
        log.updateHighWatermark(10)
        #expect(try readAll(log).map(\.offset) == Array(0..<10))
        let reopened = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: LogConfig(), clock: ManualClock())
        #expect(reopened.logEndOffset == 10)
    }

    /// Under an interval policy the log starts writeback of each 256 KiB as it is appended, so that the flush at the
    /// interval's end waits for the rest only; flushes still come exactly at the interval.
    @Test func intervalPolicyStartsWritebackAheadOfTheFlush() throws {
        #expect(PosixFileHandle.canStartWriteback)
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fileSystem = FaultyFileSystem()
        var config = LogConfig()
        config.durability = .interval(messages: nil, bytes: 1 << 20, milliseconds: nil)
        let log = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: tp, config: config, fileSystem: fileSystem, clock: ManualClock())
        let value = String(repeating: "x", count: 1000)
        var appended: [Int64] = []  // the segment's size after each append
        for i in 0..<100 {
            var batch = try makeBatch(count: 20, valuePrefix: value, start: i * 20)  // about 20 KiB
            _ = try log.append(&batch)
            appended.append(log.sizeInBytes)
        }
        let segment = dir.path + "/t-0/00000000000000000000.log"
        let started = fileSystem.writebacks(of: segment)
        // Contiguous from the start, each range at least 256 KiB and ending where an append ended.
        #expect(started.first?.offset == 0)
        for (range, next) in zip(started, started.dropFirst()) { #expect(range.offset + range.length == next.offset) }
        #expect(started.allSatisfy { $0.length >= 256 << 10 && appended.contains($0.offset + $0.length) })
        let covered = started.last.map { $0.offset + $0.length } ?? 0
        #expect(log.sizeInBytes - covered < 256 << 10)
        // One flush per MiB appended.
        #expect(fileSystem.syncs(of: segment) == Int(log.sizeInBytes >> 20))
    }

    @Test func truncationRemovesWholeBatchesAndTheirEpochs() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try open(dir)
        for i in 0..<6 {
            var batch = try makeBatch(count: 2, start: i * 2)
            _ = try log.append(&batch, leaderEpoch: Int32(i / 2))
        }
        try log.truncate(to: 7)  // batch 6..7 holds offset 7: it goes whole
        #expect(log.logEndOffset == 6)
        #expect(log.latestLeaderEpoch == 1)  // epoch 2 started at offset 8
        try log.truncate(to: 4)
        #expect(log.latestLeaderEpoch == 0)  // epoch 1 started at offset 4
        var next = try makeBatch(count: 1)
        #expect(try log.append(&next, leaderEpoch: 5).firstOffset == 4)
    }
}

/// Wraps the real file system and fails writes with ENOSPC once a byte budget is spent, after writing part of
/// the request (as a real full disk does).
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
    private let real = PosixFileSystem()
    private let lock = Lock()
    private var budget: Int?

    private var started: [String: [(offset: Int64, length: Int64)]] = [:]
    private var synced: [String: Int] = [:]

    func failWritesAfter(bytes: Int?) { lock.withLock { budget = bytes } }
    func writebacks(of path: String) -> [(offset: Int64, length: Int64)] { lock.withLock { started[path] ?? [] } }
    func syncs(of path: String) -> Int { lock.withLock { synced[path] ?? 0 } }
    func noteWriteback(_ path: String, _ offset: Int64, _ length: Int64) { lock.withLock { started[path, default: []].append((offset, length)) } }
    func noteSync(_ path: String) { lock.withLock { synced[path, default: 0] += 1 } }

    func take(_ count: Int) -> Int {
        lock.withLock {
            guard let remaining = budget else { return count }
            let granted = min(remaining, count)
            budget = remaining - granted
            return granted
        }
    }

    func openFile(_ path: String, create: Bool) throws -> any FileHandle {
        FaultyFileHandle(real: try real.openFile(path, create: create), owner: self)
    }
    func contentsOfDirectory(_ path: String) throws -> [String] { try real.contentsOfDirectory(path) }
    func createDirectory(_ path: String) throws { try real.createDirectory(path) }
    func removeItem(_ path: String) throws { try real.removeItem(path) }
    func rename(_ source: String, to destination: String) throws { try real.rename(source, to: destination) }
    func fileExists(_ path: String) -> Bool { real.fileExists(path) }
    func isDirectory(_ path: String) -> Bool { real.isDirectory(path) }
    func syncDirectory(_ path: String) throws { try real.syncDirectory(path) }
}

final class FaultyFileHandle: FileHandle, @unchecked Sendable {
    let real: any FileHandle
    let owner: FaultyFileSystem
    init(real: any FileHandle, owner: FaultyFileSystem) {
        self.real = real
        self.owner = owner
    }
    var path: String { real.path }
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        let granted = owner.take(bytes.count)
        try real.write(UnsafeRawBufferPointer(rebasing: bytes[0..<granted]), at: offset)
        if granted < bytes.count { throw IOError("pwrite", path: path, errno: ENOSPC) }
    }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int { try real.read(into: buffer, at: offset) }
    func size() throws -> Int64 { try real.size() }
    func truncate(to length: Int64) throws { try real.truncate(to: length) }
    func sync() throws {
        owner.noteSync(path)
        try real.sync()
    }
    func startWriteback(offset: Int64, length: Int64) {
        owner.noteWriteback(path, offset, length)
        real.startWriteback(offset: offset, length: length)
    }
    func close() { real.close() }
}
