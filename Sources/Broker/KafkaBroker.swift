import KafkaWire
import LogStorage
import NIOCore
import SluiceCore

/// The single-node broker behind the Kafka listener: Metadata, Produce, Fetch (long-polling), ListOffsets, and
/// clear errors for what is not served yet (group coordination, transactions, admin), over the `LogManager` the SQL
/// engine uses, so topics written by Kafka producers can be declared as streams and sink topics read by consumers.
/// Stored batches are appended and served as they are (RecordBatch v2 bytes), never re-encoded.
public struct KafkaBroker: KafkaRequestHandler {
    public struct Configuration: Sendable {
        /// The address clients are told to connect to (advertised listener).
        public var advertisedHost: String
        public var advertisedPort: Int32
        public var nodeID: Int32 = 0
        public var clusterID = "sluice-single-node"
        /// Kafka's auto.create.topics.enable (default on): Metadata and Produce for a missing topic create it.
        public var autoCreateTopics = true
        /// num.partitions for auto-created topics.
        public var defaultPartitions = 1

        public init(advertisedHost: String, advertisedPort: Int32) {
            self.advertisedHost = advertisedHost
            self.advertisedPort = advertisedPort
        }
    }

    public let logs: LogManager
    public let configuration: Configuration
    /// Consumer groups; without one, FindCoordinator answers COORDINATOR_NOT_AVAILABLE.
    public let coordinator: GroupCoordinator?

    public init(logs: LogManager, configuration: Configuration, coordinator: GroupCoordinator? = nil) {
        self.logs = logs
        self.configuration = configuration
        self.coordinator = coordinator
    }

    public func handle(_ request: KafkaRequest, context: KafkaRequestContext) async throws -> KafkaResponse {
        switch request {
        case .metadata(let metadata): return .metadata(self.metadata(metadata))
        case .produce(let produce): return .produce(self.produce(produce))
        case .fetch(let fetch): return .fetch(await self.fetch(fetch))
        case .listOffsets(let listOffsets): return .listOffsets(self.listOffsets(listOffsets))
        case .initProducerId(let initProducerId):
            // Idempotent producers get a fresh id; transactions are not served yet.
            guard initProducerId.transactionalId == nil else {
                return .initProducerId(InitProducerIdResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue))
            }
            return .initProducerId(InitProducerIdResponse(producerId: ProducerIDAllocator.shared.next(), producerEpoch: 0))
        case .findCoordinator(let request): return .findCoordinator(findCoordinator(request))
        case .createTopics(let request): return .createTopics(createTopics(request))
        case .deleteTopics(let request): return .deleteTopics(deleteTopics(request))
        case .createPartitions(let request): return .createPartitions(createPartitions(request))
        case .deleteRecords(let request): return .deleteRecords(deleteRecords(request))
        case .describeConfigs(let request): return .describeConfigs(describeConfigs(request))
        case .alterConfigs(let request): return .alterConfigs(alterConfigs(request))
        case .incrementalAlterConfigs(let request): return .incrementalAlterConfigs(incrementalAlterConfigs(request))
        case .offsetForLeaderEpoch(let request): return .offsetForLeaderEpoch(offsetForLeaderEpoch(request))
        default:
            guard let coordinator else { break }
            if let response = await groupRequest(request, coordinator: coordinator, context: context) { return response }
        }
        throw KafkaBrokerError("\(request.apiKey) is not served yet")
    }

    // MARK: - Groups

    /// This node coordinates every group (key type 0); transaction coordination (key type 1) is not served yet.
    func findCoordinator(_ request: FindCoordinatorRequest) -> FindCoordinatorResponse {
        guard coordinator != nil, request.keyType == 0 else {
            let message = request.keyType == 0 ? "Sluice does not coordinate consumer groups on this listener" : "transactions are not served yet"
            return FindCoordinatorResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue, errorMessage: message, nodeId: -1)
        }
        guard !request.key.isEmpty else {
            return FindCoordinatorResponse(errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: "an empty group id", nodeId: -1)
        }
        return FindCoordinatorResponse(nodeId: configuration.nodeID, host: configuration.advertisedHost, port: configuration.advertisedPort)
    }

    /// The consumer-group APIs, handed to the coordinator; nil for any other request.
    func groupRequest(_ request: KafkaRequest, coordinator: GroupCoordinator, context: KafkaRequestContext) async -> KafkaResponse? {
        switch request {
        case .joinGroup(let join):
            let host = context.remoteAddress?.ipAddress.map { "/" + $0 } ?? ""
            return .joinGroup(await coordinator.join(join, version: context.apiVersion, clientID: context.clientID ?? "", clientHost: host))
        case .syncGroup(let sync): return .syncGroup(await coordinator.sync(sync))
        case .heartbeat(let heartbeat): return .heartbeat(await coordinator.heartbeat(heartbeat))
        case .leaveGroup(let leave): return .leaveGroup(await coordinator.leave(leave, version: context.apiVersion))
        case .offsetCommit(let commit): return .offsetCommit(await coordinator.commitOffsets(commit))
        case .offsetFetch(let fetch): return .offsetFetch(await coordinator.fetchOffsets(fetch))
        case .describeGroups(let describe): return .describeGroups(await coordinator.describeGroups(describe))
        case .listGroups: return .listGroups(await coordinator.listGroups())
        case .deleteGroups(let delete): return .deleteGroups(await coordinator.deleteGroups(delete))
        default: return nil
        }
    }

    // MARK: - Metadata

    func metadata(_ request: MetadataRequest) -> MetadataResponse {
        let names = request.topics.map { $0.map(\.name) } ?? logs.topicNames
        var topics: [MetadataResponse.MetadataResponseTopic] = []
        for name in names {
            var topic = logs.topic(name)
            if topic == nil && configuration.autoCreateTopics && request.allowAutoTopicCreation && Self.isValidTopicName(name) {
                topic = try? logs.createTopic(name, partitions: configuration.defaultPartitions)
            }
            guard let topic else {
                topics.append(.init(errorCode: (Self.isValidTopicName(name) ? KafkaErrorCode.unknownTopicOrPartition : .invalidTopicException).rawValue,
                                    name: name))
                continue
            }
            let partitions = (0..<topic.partitions.count).map { p in
                MetadataResponse.MetadataResponseTopic.MetadataResponsePartition(
                    partitionIndex: Int32(p), leaderId: configuration.nodeID, leaderEpoch: 0, replicaNodes: [configuration.nodeID],
                    isrNodes: [configuration.nodeID])
            }
            topics.append(.init(name: name, isInternal: name == "__consumer_offsets", partitions: partitions))
        }
        return MetadataResponse(
            brokers: [.init(nodeId: configuration.nodeID, host: configuration.advertisedHost, port: configuration.advertisedPort)],
            clusterId: configuration.clusterID, controllerId: configuration.nodeID, topics: topics)
    }

    static func isValidTopicName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 249 && name != "." && name != ".."
            && name.utf8.allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    // MARK: - Produce

    func produce(_ request: ProduceRequest) -> ProduceResponse {
        var responses: [ProduceResponse.TopicProduceResponse] = []
        for topicData in request.topicData {
            if logs.topic(topicData.name) == nil && configuration.autoCreateTopics && Self.isValidTopicName(topicData.name) {
                _ = try? logs.createTopic(topicData.name, partitions: configuration.defaultPartitions)
            }
            var partitions: [ProduceResponse.TopicProduceResponse.PartitionProduceResponse] = []
            for data in topicData.partitionData {
                var response = ProduceResponse.TopicProduceResponse.PartitionProduceResponse(index: data.index)
                do {
                    guard var buffer = data.records, buffer.readableBytes > 0 else {
                        throw LogError(.invalidRecord, "a produce request without records")
                    }
                    var bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                    let result = try logs.append(&bytes, to: TopicPartition(topicData.name, data.index))
                    response.baseOffset = result.firstOffset
                    response.logAppendTimeMs = -1  // CreateTime topics: Kafka answers -1
                    response.logStartOffset = result.logStartOffset
                } catch let error as LogError {
                    response.errorCode = Self.code(error).rawValue
                    response.errorMessage = error.message
                } catch {
                    response.errorCode = KafkaErrorCode.unknownServerError.rawValue
                    response.errorMessage = "\(error)"
                }
                partitions.append(response)
            }
            responses.append(.init(name: topicData.name, partitionResponses: partitions))
        }
        return ProduceResponse(responses: responses)
    }

    /// Kafka's error code for a log error.
    static func code(_ error: LogError) -> KafkaErrorCode {
        switch error.code {
        case .corruptMessage: .corruptMessage
        case .invalidRecord: .invalidRecord
        case .messageTooLarge: .messageTooLarge
        case .offsetOutOfRange: .offsetOutOfRange
        case .unsupportedCompressionType: .unsupportedCompressionType
        case .outOfOrderSequenceNumber: .outOfOrderSequenceNumber
        case .invalidProducerEpoch: .invalidProducerEpoch
        case .unknownProducerId: .unknownProducerID
        case .unknownTopicOrPartition: .unknownTopicOrPartition
        case .topicAlreadyExists: .topicAlreadyExists
        case .invalidTopic: .invalidTopicException
        case .invalidPartitions: .invalidPartitions
        case .invalidConfig: .invalidConfig
        case .storageError: .kafkaStorageError
        default: .unknownServerError
        }
    }

    // MARK: - Fetch

    /// Reads every requested partition from its offset, up to the high watermark; when fewer than `minBytes` came
    /// back, waits for new data up to `maxWaitMs` and reads again (Kafka's long poll).
    func fetch(_ request: FetchRequest) async -> FetchResponse {
        let deadline = SystemClock().monotonicNanoseconds() + UInt64(max(0, request.maxWaitMs)) * 1_000_000
        while true {
            let sequence = logs.appended.current
            let (response, bytes) = readAll(request)
            let now = SystemClock().monotonicNanoseconds()
            if bytes >= max(1, Int(request.minBytes)) || now >= deadline || request.maxWaitMs <= 0 { return response }
            // Suspend until any partition gets an append (or the deadline), without holding a thread.
            await logs.appended.waitAsync(after: sequence, timeoutNanoseconds: deadline - now)
        }
    }

    private func readAll(_ request: FetchRequest) -> (FetchResponse, Int) {
        var total = 0
        var budget = request.maxBytes > 0 ? Int(request.maxBytes) : Int.max
        var topics: [FetchResponse.FetchableTopicResponse] = []
        for topic in request.topics {
            var partitions: [FetchResponse.FetchableTopicResponse.PartitionData] = []
            for partition in topic.partitions {
                var data = FetchResponse.FetchableTopicResponse.PartitionData(partitionIndex: partition.partition, abortedTransactions: [])
                do {
                    let log = try logs.partition(TopicPartition(topic.topic, partition.partition))
                    let limit = budget > 0 ? min(Int(max(partition.partitionMaxBytes, 1)), budget) : 1
                    let read = try log.read(from: partition.fetchOffset, maxBytes: limit)
                    data.highWatermark = read.highWatermark
                    data.lastStableOffset = read.highWatermark  // no open transactions
                    data.logStartOffset = read.logStartOffset
                    var buffer = ByteBufferAllocator().buffer(capacity: read.records.count)
                    buffer.writeBytes(read.records)
                    data.records = buffer
                    total += read.records.count
                    budget -= read.records.count
                } catch let error as LogError {
                    data.errorCode = Self.code(error).rawValue
                    data.records = ByteBuffer()
                } catch {
                    data.errorCode = KafkaErrorCode.unknownServerError.rawValue
                    data.records = ByteBuffer()
                }
                partitions.append(data)
            }
            topics.append(.init(topic: topic.topic, partitions: partitions))
        }
        return (FetchResponse(responses: topics), total)
    }

    // MARK: - ListOffsets

    func listOffsets(_ request: ListOffsetsRequest) -> ListOffsetsResponse {
        var topics: [ListOffsetsResponse.ListOffsetsTopicResponse] = []
        for topic in request.topics {
            var partitions: [ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse] = []
            for partition in topic.partitions {
                var response = ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse(partitionIndex: partition.partitionIndex)
                do {
                    let log = try logs.partition(TopicPartition(topic.name, partition.partitionIndex))
                    switch partition.timestamp {
                    case -2:  // earliest
                        response.offset = log.logStartOffset
                    case -1:  // latest
                        response.offset = log.highWatermark
                    default:
                        if let found = try log.offset(forTimestamp: partition.timestamp) {
                            response.offset = found.offset
                            response.timestamp = found.timestamp
                        } else {
                            response.offset = log.highWatermark
                        }
                    }
                    response.leaderEpoch = 0
                } catch let error as LogError {
                    response.errorCode = Self.code(error).rawValue
                } catch {
                    response.errorCode = KafkaErrorCode.unknownServerError.rawValue
                }
                partitions.append(response)
            }
            topics.append(.init(name: topic.name, partitions: partitions))
        }
        return ListOffsetsResponse(topics: topics)
    }
}

public struct KafkaBrokerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
