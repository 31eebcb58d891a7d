import SluiceCore
import Testing

@testable import LogStorage

@Suite struct LogCleanerTests {
    func compactedLog(_ dir: TemporaryDirectory, clock: ManualClock) throws -> PartitionLog {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 400
        config.deleteRetentionMs = 1_000
        return try PartitionLog.open(directory: dir.path + "/c-0", topicPartition: TopicPartition("c", 0), config: config, clock: clock)
    }

    func append(_ log: PartitionLog, _ key: String, _ value: String?, at timestamp: Timestamp) throws {
        var builder = RecordBatchBuilder()
        builder.append(timestamp: timestamp, key: Array(key.utf8), value: value.map { Array($0.utf8) })
        var batch = try builder.build()
        _ = try log.append(&batch)
        log.updateHighWatermark(log.logEndOffset)
    }

    @Test func keepsTheLatestRecordPerKeyAtItsOriginalOffset() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock(milliseconds: 10_000)
        let log = try compactedLog(dir, clock: clock)
        for round in 0..<10 {
            for key in ["a", "b", "c"] { try append(log, key, "\(key)\(round)", at: 10_000) }
        }
        let before = log.sizeInBytes
        let result = try LogCleaner().clean(log)
        #expect(result.segmentsCleaned > 0)
        #expect(log.sizeInBytes < before)
        let records = try readAll(log)
        // The newest value of every key is still there, at the offset it was appended at.
        #expect(records.filter { $0.key == "a" }.last.map { "\($0.offset) \($0.value ?? "null")" } == "27 a9")
        #expect(records.filter { $0.key == "c" }.last.map { "\($0.offset) \($0.value ?? "null")" } == "29 c9")
        // Only the active segment may still hold older duplicates; offsets ascend with gaps.
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.offset < $1.offset })
        #expect(records.count < 30)
        #expect(log.logEndOffset == 30)
        // Appends go on after cleaning.
        try append(log, "a", "new", at: 10_000)
        #expect(try readAll(log).last?.value == "new")
    }

    @Test func dropsTombstonesOnlyAfterDeleteRetention() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock(milliseconds: 10_000)
        let log = try compactedLog(dir, clock: clock)
        try append(log, "gone", "v", at: 10_000)
        try append(log, "gone", nil, at: 10_000)
        for i in 0..<12 { try append(log, "filler\(i)", String(repeating: "x", count: 30), at: 10_000) }
        _ = try LogCleaner().clean(log)
        #expect(try readAll(log).filter { $0.key == "gone" }.map(\.value) == [nil])  // the tombstone is still there
        clock.advance(milliseconds: 5_000)
        _ = try LogCleaner().clean(log)
        #expect(try readAll(log).filter { $0.key == "gone" }.isEmpty)
    }

    @Test func aCrashMidCleanLeavesTheLogIntact() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock(milliseconds: 10_000)
        do {
            let log = try compactedLog(dir, clock: clock)
            for i in 0..<20 { try append(log, "k\(i % 4)", "v\(i)", at: 10_000) }
            try log.close()
        }
        // A half-written cleaned file, as a crash during the rewrite leaves it.
        let leftover = dir.path + "/c-0/00000000000000000000.cleaned"
        let file = try PosixFileSystem().openFile(leftover, create: true)
        try [UInt8](repeating: 7, count: 100).withUnsafeBytes { try file.write($0, at: 0) }
        file.close()
        let reopened = try compactedLog(dir, clock: clock)
        reopened.updateHighWatermark(reopened.logEndOffset)
        #expect(!PosixFileSystem().fileExists(leftover))
        #expect(try readAll(reopened).count == 20)
        #expect(try reopened.compactIfDirty() != nil)
        let after = try readAll(reopened)
        #expect(Set(after.suffix(4).map(\.value)) == ["v16", "v17", "v18", "v19"])
    }

    @Test func theCleanerWaitsForEnoughDirtyData() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock(milliseconds: 10_000)
        let log = try compactedLog(dir, clock: clock)
        // Distinct keys: cleaning removes nothing, so segment sizes (and the dirty ratio) stay predictable.
        for i in 0..<40 { try append(log, "k\(i)", "value-\(i)", at: 10_000) }
        #expect(try log.compactIfDirty() != nil)  // never cleaned: everything closed is dirty
        #expect(try log.compactIfDirty() == nil)  // no segment closed since
        var strict = log.currentConfig
        strict.minCleanableDirtyRatio = 0.99
        log.updateConfig(strict)
        let segments = log.segmentCount
        var i = 100
        while log.segmentCount == segments {
            try append(log, "k\(i)", "more", at: 10_000)
            i += 1
        }
        #expect(try log.compactIfDirty() == nil)  // one new closed segment is below 99% of the closed bytes
        strict.minCleanableDirtyRatio = 0.01
        log.updateConfig(strict)
        #expect(try log.compactIfDirty() != nil)
    }
}
