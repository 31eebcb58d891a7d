import ArgumentParser
@preconcurrency import Glibc
import LogStorage
import SluiceCore

/// Hidden commands used by the crash tests.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test helpers.", shouldDisplay: false, subcommands: [AppendLoop.self])

    /// Appends batches in a loop with fsync per batch and prints one `ACK` line per durable append, so that a test
    /// can SIGKILL it at any moment and check that every acknowledged batch survives.
    struct AppendLoop: ParsableCommand {
        @OptionGroup var options: DataDirectoryOptions
        @Option var topic = "crash"
        @Option(help: "Stop after this many batches (0: run until killed).") var batches = 0
        @Option var seed: UInt64 = 1
        @Option(help: "Segment size, small so that rolls happen under test.") var segmentBytes = 64 << 10

        func run() throws {
            var config = LogConfig()
            config.durability = .everyBatch
            let logs = try LogManager(dataDirectory: options.logDirectory, defaultConfig: config)
            if logs.topic(topic) == nil {
                try logs.createTopic(topic, partitions: 1, config: ["flush.messages": "1", "segment.bytes": String(segmentBytes), "index.interval.bytes": "512"])
            }
            let tp = TopicPartition(topic, 0)
            var random = SeededRandom(seed: seed)
            var builder = RecordBatchBuilder()
            var n = 0
            while batches == 0 || n < batches {
                let count = Int.random(in: 1...40, using: &random)
                let tag = "s\(seed)-b\(n)"
                for i in 0..<count {
                    let value = Array("\(tag)-r\(i)-".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: Int.random(in: 0...200, using: &random))
                    builder.append(timestamp: SystemClock().milliseconds(), key: Array("\(i)".utf8), value: value)
                }
                var batch = try builder.build()
                let result = try logs.append(&batch, to: tp)
                print("ACK \(result.firstOffset) \(result.lastOffset) \(tag)")
                fflush(stdout)
                n += 1
            }
            try logs.close()
        }
    }
}
