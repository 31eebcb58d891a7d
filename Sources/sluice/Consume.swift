import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import SluiceCore

/// `sluice consume`: prints a topic's records, like kafka-console-consumer.sh (and kcat -C).
struct Consume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a topic's records.",
        discussion: "Starts from the group's committed offsets when --group has them, else from the beginning with --from-beginning, else from the end. With --group, the offsets reached are committed to __consumer_offsets.")
    @OptionGroup var options: DataDirectoryOptions
    @Option(help: "Topic to read.") var topic: String
    @Option(help: "Consumer group whose offsets are used and committed.") var group: String?
    @Flag(help: "Start from the earliest offset when there is no committed one.") var fromBeginning = false
    @Option(help: "Stop after this many records.") var maxMessages: Int?
    @Flag(help: "Stop at the end of the log instead of waiting for more (like kcat -e).") var exitAtEnd = false
    @Flag(help: "Print the key before the value.") var printKey = false
    @Flag(help: "Print partition, offset and timestamp before each record.") var printOffset = false
    @Option(help: "Separator between the printed fields.") var separator = "\t"

    func run() throws {
        try reportingErrors {
            let logs = try LogManager(dataDirectory: options.logDirectory)
            defer { try? logs.close() }
            guard let topicInfo = logs.topic(topic) else {
                throw LogError(.unknownTopicOrPartition, "topic '\(topic)' does not exist")
            }
            let offsets = try group.map { _ in try ConsumerOffsetStore(logs: logs) }
            var positions = topicInfo.partitions.map { log -> Offset in
                if let group, let committed = offsets?.committed(group: group, topicPartition: log.topicPartition) {
                    return max(committed.offset, log.logStartOffset)
                }
                return fromBeginning ? log.logStartOffset : log.highWatermark
            }
            var printed = 0
            var reader = RecordBatchReader()
            var output = OutputBuffer()
            while true {
                var progressed = false
                for (p, log) in topicInfo.partitions.enumerated() {
                    if let maxMessages, printed >= maxMessages { break }
                    let read = try log.read(from: positions[p], maxBytes: 1 << 20)
                    guard !read.records.isEmpty else { continue }
                    progressed = true
                    try read.records.withUnsafeBytes { raw in
                        var position = 0
                        while position < raw.count {
                            let batch = UnsafeRawBufferPointer(rebasing: raw[position...])
                            let header = RecordBatchHeader(parsing: batch)
                            if !header.isControl {
                                try reader.forEachRecord(in: batch, header: header) { record in
                                    guard record.offset >= positions[p], maxMessages.map({ printed < $0 }) ?? true else { return }
                                    output.write(record, partition: p, printKey: printKey, printOffset: printOffset, separator: separator)
                                    positions[p] = record.offset + 1
                                    printed += 1
                                }
                            }
                            if maxMessages.map({ printed < $0 }) ?? true { positions[p] = max(positions[p], header.nextOffset) }
                            position += header.sizeInBytes
                        }
                    }
                    output.flush()
                    if let group { try offsets?.commit(group: group, topicPartition: log.topicPartition, offset: positions[p]) }
                }
                if let maxMessages, printed >= maxMessages { break }
                if !progressed {
                    if exitAtEnd { break }
                    usleep(100_000)
                }
            }
            output.flush()
            printError("Processed \(printed) record\(printed == 1 ? "" : "s").")
        }
    }
}

/// Collects output lines and writes them to stdout in large chunks.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func write(_ record: borrowing Record, partition: Int, printKey: Bool, printOffset: Bool, separator: String) {
        if printOffset {
            bytes += Array("\(partition)\(separator)\(record.offset)\(separator)\(record.timestamp)\(separator)".utf8)
        }
        if printKey {
            if let key = record.key { bytes.append(contentsOf: key) } else { bytes += Array("null".utf8) }
            bytes += Array(separator.utf8)
        }
        if let value = record.value { bytes.append(contentsOf: value) } else { bytes += Array("null".utf8) }
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= 64 << 10 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        fflush(stdout)
        bytes.removeAll(keepingCapacity: true)
    }
}
