import KafkaWire
import LogStorage
import SluiceCore

/// Topic administration over the Kafka wire (CreateTopics, DeleteTopics), on the same `LogManager` calls that SQL's
/// CREATE STREAM and DROP … DELETE TOPIC use, so both paths validate names, partition counts and configs alike.
extension KafkaBroker {
    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        CreateTopicsResponse(topics: request.topics.map { topic in
            func failure(_ code: KafkaErrorCode, _ message: String) -> CreateTopicsResponse.CreatableTopicResult {
                .init(name: topic.name, errorCode: code.rawValue, errorMessage: message)
            }
            guard topic.assignments.isEmpty else {
                return failure(.invalidRequest, "manual replica assignments are not supported: Sluice places partitions itself")
            }
            // One node holds one replica of each partition; -1 asks for the default.
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 else {
                return failure(.invalidReplicationFactor, "Replication factor: \(topic.replicationFactor) larger than available brokers: 1.")
            }
            let partitions = topic.numPartitions == -1 ? configuration.defaultPartitions : Int(topic.numPartitions)
            var overrides: [String: String] = [:]
            for config in topic.configs {
                guard let value = config.value else { continue }
                overrides[config.name] = value
            }
            do {
                if request.validateOnly {
                    try TopicName.validate(topic.name)
                    guard logs.topic(topic.name) == nil else { throw LogError(.topicAlreadyExists, "Topic '\(topic.name)' already exists.") }
                    guard partitions >= 1 else { throw LogError(.invalidPartitions, "Number of partitions must be larger than 0.") }
                    _ = try LogConfig(overrides: overrides, base: LogConfig())
                } else {
                    try logs.createTopic(topic.name, partitions: partitions, config: overrides)
                }
                return .init(name: topic.name)
            } catch let error as LogError {
                return failure(Self.code(error), error.message)
            } catch {
                return failure(.unknownServerError, "\(error)")
            }
        })
    }

    func deleteTopics(_ request: DeleteTopicsRequest) -> DeleteTopicsResponse {
        DeleteTopicsResponse(responses: request.topicNames.map { name in
            guard name != ConsumerOffsetStore.topic else {
                // Deleting the offsets topic would lose every group's committed offsets.
                return .init(name: name, errorCode: KafkaErrorCode.invalidTopicException.rawValue)
            }
            do {
                try logs.deleteTopic(name)
                return .init(name: name)
            } catch let error as LogError {
                return .init(name: name, errorCode: Self.code(error).rawValue)
            } catch {
                return .init(name: name, errorCode: KafkaErrorCode.unknownServerError.rawValue)
            }
        })
    }
}
