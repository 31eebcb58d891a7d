import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import SluiceCore

/// `sluice produce`: appends lines from stdin as records, like kafka-console-producer.sh.
struct Produce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append lines from stdin to a topic as records.",
        discussion: "With --key-separator, the text before the first separator is the key. Keyed records go to the partition Kafka's default partitioner picks; unkeyed ones are spread round-robin. The topic is created with one partition if it does not exist.")
    @OptionGroup var options: DataDirectoryOptions
    @Option(help: "Topic to append to.") var topic: String
    @Option(help: "Separates the key from the value on each line.") var keySeparator: String?
    @Option(help: "Append every record to this partition.") var partition: Int32?
    @Flag(help: "Compress batches with LZ4.") var lz4 = false
    @Option(help: "Records per batch (a batch is also cut at end of input, and per line when stdin is a terminal).")
    var batchSize = 1000

    func run() throws {
        try reportingErrors {
            let logs = try LogManager(dataDirectory: options.logDirectory)
            defer { try? logs.close() }
            if logs.topic(topic) == nil { try logs.createTopic(topic, partitions: 1) }
            let partitionCount = logs.topic(topic)!.partitions.count
            if let partition, partition < 0 || Int(partition) >= partitionCount {
                throw LogError(.unknownTopicOrPartition, "topic '\(topic)' has no partition \(partition)")
            }
            var builderOptions = RecordBatchBuilder.Options()
            builderOptions.compression = lz4 ? .lz4 : .none
            var builders = [RecordBatchBuilder](repeating: RecordBatchBuilder(options: builderOptions), count: partitionCount)
            let interactive = isatty(STDIN_FILENO) != 0
            let clock = SystemClock()
            var roundRobin = 0
            var total = 0
            func flush(_ p: Int) throws {
                guard !builders[p].isEmpty else { return }
                var batch = try builders[p].build()
                _ = try logs.append(&batch, to: TopicPartition(topic, PartitionID(p)))
            }
            while let line = readLine(strippingNewline: true) {
                var key: [UInt8]?
                var value = Array(line.utf8)
                if let separator = keySeparator, let range = line.range(of: separator) {
                    key = Array(line[..<range.lowerBound].utf8)
                    value = Array(line[range.upperBound...].utf8)
                }
                let p: Int
                if let partition {
                    p = Int(partition)
                } else if let key {
                    p = Int(key.withUnsafeBytes { Partitioner.partition(forKey: $0, partitionCount: partitionCount) })
                } else {
                    p = roundRobin % partitionCount
                    roundRobin += 1
                }
                builders[p].append(timestamp: clock.milliseconds(), key: key, value: value)
                total += 1
                if interactive || builders[p].recordCount >= batchSize { try flush(p) }
            }
            for p in 0..<partitionCount { try flush(p) }
            printError("Appended \(total) record\(total == 1 ? "" : "s") to \(topic).")
        }
    }
}

extension String {
    /// The first range of `needle` (no Foundation).
    func range(of needle: String) -> Range<String.Index>? {
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
