import SluiceCore
import Testing

@testable import LogStorage

@Suite struct PartitionLogMoreTests {
    let tp = TopicPartition("m", 0)

    @Test func rollsWhenMessageTimeMovesPastSegmentMs() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.segmentMs = 60_000
        let log = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: config, clock: ManualClock())
        var first = try makeBatch(count: 1, firstTimestamp: 1_000_000)
        var soon = try makeBatch(count: 1, firstTimestamp: 1_030_000)
        var later = try makeBatch(count: 1, firstTimestamp: 1_070_001)
        _ = try log.append(&first)
        _ = try log.append(&soon)
        #expect(log.segmentCount == 1)
        _ = try log.append(&later)
        #expect(log.segmentCount == 2)
        #expect(try PosixFileSystem().contentsOfDirectory(dir.path + "/m-0").contains("00000000000000000002.log"))
    }

    @Test func aGarbageIndexIsRebuiltOnOpen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.indexIntervalBytes = 1
        do {
            let log = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: config, clock: ManualClock())
            for i in 0..<20 {
                var batch = try makeBatch(count: 3, start: i * 3)
                _ = try log.append(&batch)
            }
            try log.close()
        }
        // Descending, out-of-range entries: the sanity check must reject them even after a clean shutdown.
        let index = try PosixFileSystem().openFile(dir.path + "/m-0/00000000000000000000.index", create: false)
        let garbage: [UInt8] = [0, 0, 0, 50, 0, 1, 0, 0] + [0, 0, 0, 10, 0, 0, 0, 5]
        try garbage.withUnsafeBytes { try index.write($0, at: 0) }
        try index.truncate(to: 16)
        index.close()
        let reopened = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: config, clock: ManualClock(), cleanShutdown: true)
        reopened.updateHighWatermark(60)
        for offset: Offset in [0, 31, 59] {
            let first = try decodeAll(try reopened.read(from: offset, maxBytes: 10).records).first { $0.offset == offset }
            #expect(first?.value == "v\(offset)")
        }
    }

    @Test func producerStateComesBackFromItsSnapshotAfterACleanShutdown() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = RecordBatchBuilder.Options()
        options.producerId = 7
        options.producerEpoch = 2
        do {
            let log = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: LogConfig(), clock: ManualClock())
            for sequence in stride(from: Int32(0), to: 30, by: 3) {
                options.baseSequence = sequence
                var batch = try makeBatch(count: 3, options: options)
                _ = try log.append(&batch)
            }
            try log.close()
        }
        #expect(try PosixFileSystem().contentsOfDirectory(dir.path + "/m-0").contains("00000000000000000030.snapshot"))
        let reopened = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: LogConfig(), clock: ManualClock(), cleanShutdown: true)
        options.baseSequence = 27
        var retry = try makeBatch(count: 3, options: options)
        let duplicate = try reopened.append(&retry)
        #expect(duplicate.isDuplicate && duplicate.firstOffset == 27)
        options.baseSequence = 33
        var gap = try makeBatch(count: 3, options: options)
        #expect((#expect(throws: LogError.self) { _ = try reopened.append(&gap) })?.code == .outOfOrderSequenceNumber)
    }

    @Test func appendsAndReadsGoOnWhileTheCleanerRuns() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 2_000
        let log = try PartitionLog.open(directory: dir.path + "/m-0", topicPartition: tp, config: config, clock: ManualClock())
        let writer = Task.detached {
            for i in 0..<600 {
                var batch = try makeBatch(count: 2, keyPrefix: "key", start: (i * 2) % 40)
                _ = try log.append(&batch)
                log.updateHighWatermark(log.logEndOffset)
            }
        }
        var cleans = 0
        while !writer.isCancelled && log.logEndOffset < 1_200 {
            if try log.compactIfDirty() != nil { cleans += 1 }
            _ = try readAll(log)  // reads never fail or see corrupt bytes mid-clean
            await Task.yield()
        }
        try await writer.value
        // How many cleans overlapped the writer depends on scheduling; the final one always has work to do.
        let final = try LogCleaner().clean(log)
        #expect(cleans + final.segmentsCleaned > 0)
        #expect(final.recordsRemoved > 0 || cleans > 0)
        #expect(log.logEndOffset == 1_200)
        let records = try readAll(log)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.offset < $1.offset })
        // The newest value of every key survives: key i was last written at offset 1160 + i.
        var latest: [String: Offset] = [:]
        for record in records { latest[record.key!] = record.offset }
        #expect(latest.count == 40)
        #expect(latest["key0"] == 1_160)
        #expect(latest["key39"] == 1_199)
    }
}
