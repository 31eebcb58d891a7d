import KafkaWire
import LogStorage
import SluiceCore

/// Topic administration over the Kafka wire (CreateTopics, CreatePartitions, DeleteTopics, DeleteRecords), on the same `LogManager` calls that SQL's
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
                try logs.createTopic(topic.name, partitions: partitions, config: overrides, validateOnly: request.validateOnly)
                return .init(name: topic.name)
            } catch let error as LogError {
                return failure(Self.code(error), error.message)
            } catch {
                return failure(.unknownServerError, "\(error)")
            }
        })
    }

    func createPartitions(_ request: CreatePartitionsRequest) -> CreatePartitionsResponse {
        CreatePartitionsResponse(results: request.topics.map { topic in
            guard topic.assignments == nil else {
                return .init(name: topic.name, errorCode: KafkaErrorCode.invalidRequest.rawValue,
                             errorMessage: "manual replica assignments are not supported: Sluice places partitions itself")
            }
            do {
                try logs.addPartitions(topic.name, count: Int(topic.count), validateOnly: request.validateOnly)
                return .init(name: topic.name)
            } catch let error as LogError {
                return .init(name: topic.name, errorCode: Self.code(error).rawValue, errorMessage: error.message)
            } catch {
                return .init(name: topic.name, errorCode: KafkaErrorCode.unknownServerError.rawValue, errorMessage: "\(error)")
            }
        })
    }

    /// DeleteRecords: moves each partition's log start offset up (offset -1 means the high watermark); reads below
    /// it then get OFFSET_OUT_OF_RANGE and retention removes the segments wholly below it.
    func deleteRecords(_ request: DeleteRecordsRequest) -> DeleteRecordsResponse {
        DeleteRecordsResponse(topics: request.topics.map { topic in
            .init(name: topic.name, partitions: topic.partitions.map { partition in
                do {
                    let log = try logs.partition(TopicPartition(topic.name, partition.partitionIndex))
                    let target = partition.offset == -1 ? log.highWatermark : partition.offset
                    guard target >= 0 else { throw LogError(.offsetOutOfRange, "offset \(partition.offset) is negative") }
                    return .init(partitionIndex: partition.partitionIndex, lowWatermark: try log.deleteRecords(before: target))
                } catch let error as LogError {
                    return .init(partitionIndex: partition.partitionIndex, errorCode: Self.code(error).rawValue)
                } catch {
                    return .init(partitionIndex: partition.partitionIndex, errorCode: KafkaErrorCode.unknownServerError.rawValue)
                }
            })
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

/// Topic configs over the Kafka wire (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs) and the epoch lookup
/// consumers use after a leader change (OffsetForLeaderEpoch).
extension KafkaBroker {
    /// Kafka's ConfigResource types.
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    func describeConfigs(_ request: DescribeConfigsRequest) -> DescribeConfigsResponse {
        DescribeConfigsResponse(results: request.resources.map { resource in
            var result = DescribeConfigsResponse.DescribeConfigsResult(resourceType: resource.resourceType, resourceName: resource.resourceName)
            let wanted = resource.configurationKeys.map(Set.init)
            switch resource.resourceType {
            case Self.topicResource:
                guard let topic = logs.topic(resource.resourceName) else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "Topic '\(resource.resourceName)' does not exist."
                    return result
                }
                let config = topic.partitions.first?.currentConfig ?? LogConfig()
                result.configs = LogConfig.knownKeys.filter { wanted?.contains($0) ?? true }.map { key in
                    let overridden = topic.configOverrides[key] != nil
                    // configSource: 1 = DYNAMIC_TOPIC_CONFIG, 5 = DEFAULT_CONFIG.
                    return .init(name: key, value: config.value(of: key), isDefault: !overridden, configSource: overridden ? 1 : 5)
                }
            case Self.brokerResource:
                let settings = [("auto.create.topics.enable", String(configuration.autoCreateTopics)),
                                ("num.partitions", String(configuration.defaultPartitions)),
                                ("broker.id", String(configuration.nodeID)),
                                ("offsets.topic.num.partitions", String(ConsumerOffsetStore.defaultPartitionCount))]
                result.configs = settings.filter { wanted?.contains($0.0) ?? true }.map {
                    .init(name: $0.0, value: $0.1, readOnly: true, isDefault: false, configSource: 4)  // STATIC_BROKER_CONFIG
                }
            default:
                result.errorCode = KafkaErrorCode.invalidRequest.rawValue
                result.errorMessage = "resource type \(resource.resourceType) is not supported"
            }
            return result
        })
    }

    /// AlterConfigs replaces a topic's overrides with the given set, as Kafka's (deprecated) API does.
    func alterConfigs(_ request: AlterConfigsRequest) -> AlterConfigsResponse {
        AlterConfigsResponse(responses: request.resources.map { resource in
            var overrides: [String: String] = [:]
            for config in resource.configs { overrides[config.name] = config.value }
            let (code, message) = alterTopic(resource.resourceType, resource.resourceName, validateOnly: request.validateOnly) { _ in overrides }
            return .init(errorCode: code.rawValue, errorMessage: message, resourceType: resource.resourceType, resourceName: resource.resourceName)
        })
    }

    /// IncrementalAlterConfigs: SET (0) and DELETE (1) per key; APPEND (2) and SUBTRACT (3) edit list-valued keys
    /// (cleanup.policy).
    func incrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest) -> IncrementalAlterConfigsResponse {
        IncrementalAlterConfigsResponse(responses: request.resources.map { resource in
            let (code, message) = alterTopic(resource.resourceType, resource.resourceName, validateOnly: request.validateOnly) { current in
                var overrides = current
                for config in resource.configs {
                    let items = overrides[config.name].map { $0.split(separator: ",").map(String.init) } ?? []
                    let given = config.value.map { $0.split(separator: ",").map(String.init) } ?? []
                    switch config.configOperation {
                    case 0: overrides[config.name] = config.value
                    case 1: overrides[config.name] = nil
                    case 2: overrides[config.name] = (items + given.filter { !items.contains($0) }).joined(separator: ",")
                    case 3: overrides[config.name] = items.filter { !given.contains($0) }.joined(separator: ",")
                    default: throw LogError(.invalidConfig, "unknown config operation \(config.configOperation)")
                    }
                }
                return overrides
            }
            return .init(errorCode: code.rawValue, errorMessage: message, resourceType: resource.resourceType, resourceName: resource.resourceName)
        })
    }

    private func alterTopic(
        _ type: Int8, _ name: String, validateOnly: Bool, _ change: ([String: String]) throws -> [String: String]
    ) -> (KafkaErrorCode, String?) {
        guard type == Self.topicResource else { return (.invalidRequest, "only topic configs can be altered") }
        guard let topic = logs.topic(name) else { return (.unknownTopicOrPartition, "Topic '\(name)' does not exist.") }
        do {
            try logs.alterTopicConfig(name, overrides: try change(topic.configOverrides), validateOnly: validateOnly)
            return (.none, nil)
        } catch let error as LogError {
            return (Self.code(error), error.message)
        } catch {
            return (.unknownServerError, "\(error)")
        }
    }

    func offsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest) -> OffsetForLeaderEpochResponse {
        OffsetForLeaderEpochResponse(topics: request.topics.map { topic in
            .init(topic: topic.topic, partitions: topic.partitions.map { partition in
                guard let log = try? logs.partition(TopicPartition(topic.topic, partition.partition)) else {
                    return .init(errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue, partition: partition.partition)
                }
                let found = log.endOffset(forLeaderEpoch: partition.leaderEpoch)
                return .init(partition: partition.partition, leaderEpoch: found.epoch, endOffset: found.endOffset)
            })
        })
    }
}
