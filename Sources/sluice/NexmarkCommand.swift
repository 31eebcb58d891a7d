import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import Nexmark
import SluiceCore

/// `sluice nexmark`: writes a deterministic Nexmark event stream (Person / Auction / Bid, 1:3:46) as JSON, either
/// into the topics person, auction and bid of a data directory (keyed by id; bids by auction) or to stdout as one
/// JSON line per event with its kind.
struct NexmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexmark", abstract: "Generate Nexmark events (same seed, same events).",
        discussion: """
            Event n happens n/10 ms after --base-time (10,000 events per second of event time). With --to-log the \
            events are appended to the topics person, auction and bid (created with --partitions partitions if \
            missing) of the data directory, which `sluice serve` must not be running on; declare them with e.g. \
            CREATE STREAM bid (auction BIGINT KEY, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, \
            date_time BIGINT, extra VARCHAR) WITH (KAFKA_TOPIC='bid', VALUE_FORMAT='JSON', TIMESTAMP='date_time'). \
            Otherwise they are printed as {"kind":"bid","event":{...}} lines.
            """)
    @OptionGroup var options: DataDirectoryOptions
    @Option(help: "Number of events.") var events: Int64 = 100_000
    @Option(help: "Seed of the field values.") var seed: UInt64 = 0
    @Option(help: "Event time of the first event (epoch ms).") var baseTime: Int64 = 1_436_918_400_000
    @Flag(help: "Append to the data directory's topics instead of printing.") var toLog = false
    @Option(help: "Partitions of topics it creates.") var partitions = 1

    func run() throws {
        var configuration = NexmarkGenerator.Configuration()
        configuration.seed = seed
        configuration.baseTime = baseTime
        let generator = NexmarkGenerator(configuration)
        guard toLog else {
            var line = ""
            for id in 0..<events {
                let event = generator.event(id)
                line = "{\"kind\":\"\(event.topic)\",\"event\":\(event.json)}\n"
                fputs(line, stdout)
            }
            return
        }
        try reportingErrors {
            let logs = try LogManager(dataDirectory: options.logDirectory)
            defer { try? logs.close() }
            try Self.append(events, from: generator, to: logs, partitions: partitions)
            print("sluice nexmark: \(events) events (seed \(seed)) appended to person, auction and bid in \(options.logDirectory)")
        }
    }

    /// Appends events 0..<count to person, auction and bid (created with `partitions` if missing), keyed by id and
    /// partitioned as Kafka's default partitioner would, in batches of 1,000.
    static func append(_ count: Int64, from generator: NexmarkGenerator, to logs: LogManager, partitions: Int) throws {
        var batches: [String: [ProducerBatch]] = [:]
        for topic in ["person", "auction", "bid"] {
            if logs.topic(topic) == nil { try logs.createTopic(topic, partitions: partitions) }
            batches[topic] = Array(repeating: ProducerBatch(), count: logs.topic(topic)!.partitions.count)
        }
        let client = EmbeddedLogClient(logs: logs)
        func flush(_ topic: String, _ p: Int) throws {
            guard !batches[topic]![p].isEmpty else { return }
            _ = try client.produce(&batches[topic]![p], to: TopicPartition(topic, PartitionID(p)))
            batches[topic]![p] = ProducerBatch()
        }
        for id in 0..<count {
            let event = generator.event(id)
            let key = withUnsafeBytes(of: event.key.bigEndian) { Array($0) }
            let partitionCount = batches[event.topic]!.count
            let p = Int(key.withUnsafeBytes { Partitioner.partition(forKey: $0, partitionCount: partitionCount) })
            batches[event.topic]![p].append(timestamp: event.dateTime, key: key, value: Array(event.json.utf8))
            if batches[event.topic]![p].count >= 1000 { try flush(event.topic, p) }
        }
        for (topic, list) in batches { for p in list.indices { try flush(topic, p) } }
    }
}
