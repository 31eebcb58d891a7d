import Broker
import Relational
import SluiceCore
import Streams

/// The processing log users can query: each entry becomes a JSON record of the KSQL_PROCESSING_LOG topic, which
/// the engine declares as a stream of the same name. The columns are flat (LOGGER, LEVEL, LOGTIME, TYPE, QUERY_ID,
/// SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, MESSAGE) where ksqlDB nests them in a MESSAGE struct per error
/// kind. Entries are rare (bad records), so each is appended as it comes, under a lock.
public final class TopicProcessingLog: ProcessingLog, @unchecked Sendable {
    // @unchecked: appends are serialized by `lock`; `client` is Sendable.
    public static let topic = "KSQL_PROCESSING_LOG"
    /// The stream the engine declares over the topic.
    public static let createStatement = """
        CREATE STREAM IF NOT EXISTS KSQL_PROCESSING_LOG (LOGGER VARCHAR, LEVEL VARCHAR, LOGTIME BIGINT, TYPE VARCHAR, \
        QUERY_ID VARCHAR, SOURCE_TOPIC VARCHAR, SOURCE_PARTITION INT, SOURCE_OFFSET BIGINT, MESSAGE VARCHAR) \
        WITH (KAFKA_TOPIC='KSQL_PROCESSING_LOG', VALUE_FORMAT='JSON', PARTITIONS=1);
        """

    private let client: any LogClient
    private let clock: any Clock
    private let lock = Lock()
    /// Entries that could not be appended (the log failing too) are counted, never thrown at the query.
    public private(set) var dropped = 0

    public init(client: any LogClient, clock: any Clock = SystemClock()) throws {
        self.client = client
        self.clock = clock
        try client.ensureTopic(Self.topic, partitions: 1, config: [:])
    }

    public func record(_ entry: ProcessingLogEntry) {
        let now = clock.milliseconds()
        var json: [UInt8] = []
        func field(_ name: String, _ text: String) {
            json.append(json.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONWriter.appendString(name, to: &json)
            json.append(UInt8(ascii: ":"))
            JSONWriter.appendString(text, to: &json)
        }
        func field(_ name: String, _ number: Int64) {
            json.append(UInt8(ascii: ","))
            JSONWriter.appendString(name, to: &json)
            json.append(contentsOf: ":\(number)".utf8)
        }
        field("LOGGER", "processing.\(entry.queryID)")
        field("LEVEL", "ERROR")
        field("LOGTIME", now)
        field("TYPE", entry.kind.rawValue)
        field("QUERY_ID", entry.queryID)
        field("SOURCE_TOPIC", entry.topic)
        field("SOURCE_PARTITION", Int64(entry.partition))
        field("SOURCE_OFFSET", entry.offset)
        field("MESSAGE", entry.message)
        json.append(UInt8(ascii: "}"))
        lock.withLock {
            var batch = ProducerBatch()
            batch.append(timestamp: now, key: nil, value: json)
            do {
                _ = try client.produce(&batch, to: TopicPartition(Self.topic, 0))
            } catch {
                dropped += 1
            }
        }
    }
}
