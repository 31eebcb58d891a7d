import Broker
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
        var json = "{\"LOGGER\":"
        Self.appendString("processing.\(entry.queryID)", to: &json)
        json += ",\"LEVEL\":\"ERROR\",\"LOGTIME\":\(now),\"TYPE\":"
        Self.appendString(entry.kind.rawValue, to: &json)
        json += ",\"QUERY_ID\":"
        Self.appendString(entry.queryID, to: &json)
        json += ",\"SOURCE_TOPIC\":"
        Self.appendString(entry.topic, to: &json)
        json += ",\"SOURCE_PARTITION\":\(entry.partition),\"SOURCE_OFFSET\":\(entry.offset),\"MESSAGE\":"
        Self.appendString(entry.message, to: &json)
        json += "}"
        lock.withLock {
            var batch = ProducerBatch()
            batch.append(timestamp: now, key: nil, value: Array(json.utf8))
            do {
                _ = try client.produce(&batch, to: TopicPartition(Self.topic, 0))
            } catch {
                dropped += 1
            }
        }
    }

    /// Appends `text` as a JSON string literal.
    static func appendString(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}
