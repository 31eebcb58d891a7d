import KafkaWire
import LogStorage
import SluiceCore
import SluiceTestSupport
import Testing

@testable import Broker

/// The admin APIs against a real `LogManager`: what Kafka's AdminClient sends, and the error codes it expects.
@Suite struct KafkaBrokerAdminTests {
    @Test func createTopicsValidatesLikeKafka() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        let broker = KafkaBroker(logs: logs, configuration: .init(advertisedHost: "127.0.0.1", advertisedPort: 9092))
        let response = broker.createTopics(CreateTopicsRequest(topics: [
            .init(name: "ok", numPartitions: 3, replicationFactor: 1, configs: [.init(name: "retention.ms", value: "1000")]),
            .init(name: "ok", numPartitions: 1, replicationFactor: -1),
            .init(name: "three-copies", numPartitions: 1, replicationFactor: 3),
            .init(name: "bad name!", numPartitions: 1, replicationFactor: 1),
            .init(name: "bad-config", numPartitions: 1, replicationFactor: 1, configs: [.init(name: "retention.ms", value: "soon")]),
            .init(name: "dry-run", numPartitions: 1, replicationFactor: 1),
        ]))
        #expect(response.topics.map(\.errorCode) == [
            0, KafkaErrorCode.topicAlreadyExists.rawValue, KafkaErrorCode.invalidReplicationFactor.rawValue,
            KafkaErrorCode.invalidTopicException.rawValue, KafkaErrorCode.invalidConfig.rawValue, 0,
        ])
        #expect(logs.topic("ok")?.partitions.count == 3)
        #expect(logs.topic("ok")?.configOverrides == ["retention.ms": "1000"])
        let validateOnly = broker.createTopics(CreateTopicsRequest(topics: [.init(name: "ghost", numPartitions: 1, replicationFactor: 1)], validateOnly: true))
        #expect(validateOnly.topics.first?.errorCode == 0)
        #expect(logs.topic("ghost") == nil)
        let deleted = broker.deleteTopics(DeleteTopicsRequest(topicNames: ["ok", "never", "__consumer_offsets"]))
        #expect(deleted.responses.map(\.errorCode) == [
            0, KafkaErrorCode.unknownTopicOrPartition.rawValue, KafkaErrorCode.invalidTopicException.rawValue,
        ])
    }

    @Test func configsAreDescribedAndAlteredIncrementally() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        try logs.createTopic("t", partitions: 1, config: ["retention.ms": "5000"])
        let broker = KafkaBroker(logs: logs, configuration: .init(advertisedHost: "127.0.0.1", advertisedPort: 9092))
        func describe(_ keys: [String]) -> [String: (String?, Bool)] {
            let result = broker.describeConfigs(DescribeConfigsRequest(resources: [.init(resourceType: 2, resourceName: "t", configurationKeys: keys)]))
            return Dictionary(uniqueKeysWithValues: result.results[0].configs.map { ($0.name, ($0.value, $0.isDefault)) })
        }
        #expect(describe(["retention.ms"])["retention.ms"]?.0 == "5000")
        #expect(describe(["retention.ms"])["retention.ms"]?.1 == false)
        #expect(describe(["cleanup.policy"])["cleanup.policy"]?.1 == true)

        let altered = broker.incrementalAlterConfigs(IncrementalAlterConfigsRequest(resources: [
            .init(resourceType: 2, resourceName: "t", configs: [
                .init(name: "cleanup.policy", configOperation: 2, value: "compact"),  // APPEND to the overrides (none yet)
                .init(name: "retention.ms", configOperation: 1),  // DELETE: back to the default
            ]),
            .init(resourceType: 2, resourceName: "missing", configs: [.init(name: "retention.ms", configOperation: 0, value: "1")]),
        ]))
        #expect(altered.responses.map(\.errorCode) == [0, KafkaErrorCode.unknownTopicOrPartition.rawValue])
        #expect(logs.topic("t")?.configOverrides == ["cleanup.policy": "compact"])
        _ = broker.incrementalAlterConfigs(IncrementalAlterConfigsRequest(resources: [
            .init(resourceType: 2, resourceName: "t", configs: [.init(name: "cleanup.policy", configOperation: 2, value: "delete")]),
        ]))
        #expect(logs.topic("t")?.configOverrides == ["cleanup.policy": "compact,delete"])
        let bad = broker.alterConfigs(AlterConfigsRequest(resources: [
            .init(resourceType: 2, resourceName: "t", configs: [.init(name: "segment.bytes", value: "tiny")]),
        ]))
        #expect(bad.responses[0].errorCode == KafkaErrorCode.invalidConfig.rawValue)
        #expect(logs.topic("t")?.configOverrides == ["cleanup.policy": "compact,delete"])

        // An empty log knows no epoch (Kafka answers -1); after appends under epoch 0, its end is the log end.
        let before = broker.offsetForLeaderEpoch(OffsetForLeaderEpochRequest(topics: [.init(topic: "t", partitions: [.init(partition: 0)])]))
        #expect(before.topics[0].partitions[0].endOffset == -1)
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 1, key: Array("k".utf8), value: Array("v".utf8))
        builder.append(timestamp: 2, key: Array("k".utf8), value: Array("w".utf8))
        var batch = try builder.build()
        _ = try logs.append(&batch, to: TopicPartition("t", 0))
        let epochs = broker.offsetForLeaderEpoch(OffsetForLeaderEpochRequest(topics: [
            .init(topic: "t", partitions: [.init(partition: 0, leaderEpoch: 0), .init(partition: 7, leaderEpoch: 0)]),
        ]))
        #expect(epochs.topics[0].partitions.map(\.errorCode) == [0, KafkaErrorCode.unknownTopicOrPartition.rawValue])
        #expect(epochs.topics[0].partitions[0].endOffset == 2)
        #expect(epochs.topics[0].partitions[0].leaderEpoch == 0)
    }

    @Test func partitionsAreAddedAndSurviveARestart() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let logs = try LogManager(dataDirectory: dir.path)
            try logs.createTopic("t", partitions: 1, config: ["retention.ms": "5000"])
            let broker = KafkaBroker(logs: logs, configuration: .init(advertisedHost: "127.0.0.1", advertisedPort: 9092))
            let grown = broker.createPartitions(CreatePartitionsRequest(topics: [.init(name: "t", count: 3), .init(name: "nope", count: 2)]))
            #expect(grown.results.map(\.errorCode) == [0, KafkaErrorCode.unknownTopicOrPartition.rawValue])
            let shrink = broker.createPartitions(CreatePartitionsRequest(topics: [.init(name: "t", count: 2)]))
            #expect(shrink.results[0].errorCode == KafkaErrorCode.invalidPartitions.rawValue)
            var builder = RecordBatchBuilder()
            builder.append(timestamp: 1, key: nil, value: Array("v".utf8))
            var batch = try builder.build()
            _ = try logs.append(&batch, to: TopicPartition("t", 2))
            try logs.close()
        }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        #expect(logs.topic("t")?.partitions.count == 3)
        #expect(logs.topic("t")?.partitions[2].logEndOffset == 1)
        #expect(logs.topic("t")?.partitions[2].currentConfig.value(of: "retention.ms") == "5000")
    }

    @Test func deleteRecordsMovesTheLogStartOffset() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        try logs.createTopic("t", partitions: 1)
        var builder = RecordBatchBuilder()
        for i in 0..<5 { builder.append(timestamp: Int64(i), key: nil, value: Array("v\(i)".utf8)) }
        var batch = try builder.build()
        _ = try logs.append(&batch, to: TopicPartition("t", 0))
        let broker = KafkaBroker(logs: logs, configuration: .init(advertisedHost: "127.0.0.1", advertisedPort: 9092))
        func delete(_ offset: Int64) -> DeleteRecordsResponse.DeleteRecordsTopicResult.DeleteRecordsPartitionResult {
            broker.deleteRecords(DeleteRecordsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, offset: offset)])]))
                .topics[0].partitions[0]
        }
        #expect(delete(3).lowWatermark == 3)
        #expect(delete(1).lowWatermark == 3)  // never moves back
        #expect(delete(9).errorCode == KafkaErrorCode.offsetOutOfRange.rawValue)
        #expect(delete(-1).lowWatermark == 5)  // -1: up to the high watermark
        #expect(try logs.partition(TopicPartition("t", 0)).logStartOffset == 5)
    }
}
