import SluiceCore
import Testing

@testable import LogStorage

@Suite struct LogManagerTests {
    /// Appenders finishing out of order must not move the high watermark back: every acknowledged record stays
    /// visible to readers. (Found by the SQL engine's concurrent tasks writing one repartition partition.)
    @Test func concurrentAppendsLeaveEveryRecordVisible() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        try logs.createTopic("t", partitions: 1)
        let tp = TopicPartition("t", 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<200 {
                        var batch = try makeBatch(count: 1 + i % 3, start: writer * 1000 + i)
                        _ = try logs.append(&batch, to: tp)
                    }
                }
            }
            try await group.waitForAll()
        }
        let log = try logs.partition(tp)
        #expect(log.highWatermark == log.logEndOffset)
        #expect(try readAll(log, from: 0).count == Int(log.logEndOffset))
        var consumerView = 0
        var offset: Offset = 0
        while true {
            let read = try log.read(from: offset, maxBytes: 1 << 20)  // bounded by the high watermark
            guard !read.records.isEmpty else { break }
            let records = try decodeAll(read.records).filter { $0.offset >= offset }
            consumerView += records.count
            offset = records.last!.offset + 1
        }
        #expect(consumerView == Int(log.logEndOffset))
    }

    @Test func theHighWatermarkOnlyAdvances() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try PartitionLog.open(directory: dir.path + "/t-0", topicPartition: TopicPartition("t", 0), config: LogConfig(), clock: ManualClock())
        for i in 0..<3 {
            var batch = try makeBatch(count: 1, start: i)
            _ = try log.append(&batch)
        }
        log.advanceHighWatermark(to: 3)
        log.advanceHighWatermark(to: 1)  // a slower appender finishing late
        #expect(log.highWatermark == 3)
        log.advanceHighWatermark(to: 10)  // never past the log end
        #expect(log.highWatermark == 3)
    }
}
