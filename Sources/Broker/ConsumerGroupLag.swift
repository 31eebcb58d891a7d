import LogStorage
import NIOCore
import SluiceCore

/// One row of Kafka's `kafka-consumer-groups.sh --describe`: a partition a group has committed offsets for or has
/// assigned to a member, with the committed offset, the log-end offset, the lag between them, and the owner.
public struct ConsumerGroupLag: Sendable, Equatable {
    public var group: String
    public var state: String
    /// nil for a group with neither committed offsets nor assignments (so that it still shows up).
    public var topic: String?
    public var partition: Int32?
    /// The committed offset; nil when the group has not committed this partition.
    public var currentOffset: Int64?
    public var logEndOffset: Int64?
    /// Log-end minus committed offset; nil without a committed offset (Kafka prints `-`).
    public var lag: Int64?
    public var memberID: String?
    public var host: String?
    public var clientID: String?
}

/// Where SQL's SHOW CONSUMER GROUPS and `sluice consumer-groups` read groups from.
public protocol ConsumerGroupSource: Sendable {
    /// Rows for one group, or for every group when `group` is nil, ordered by group, topic and partition.
    func consumerGroupLag(group: String?) -> [ConsumerGroupLag]
}

extension GroupCoordinator: ConsumerGroupSource {
    public nonisolated func consumerGroupLag(group: String?) -> [ConsumerGroupLag] {
        var rows: [ConsumerGroupLag] = []
        for description in describeAll() where group == nil || description.groupID == group {
            var owners: [TopicPartition: Description.Member] = [:]
            if description.protocolType == "consumer" {
                for member in description.members {
                    for tp in Self.assignedPartitions(member.assignment) { owners[tp] = member }
                }
            }
            let committed = offsets.committed(group: description.groupID)
            let partitions = Set(committed.keys).union(owners.keys).sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            if partitions.isEmpty {
                rows.append(ConsumerGroupLag(group: description.groupID, state: description.state.rawValue))
                continue
            }
            for tp in partitions {
                let end = try? offsets.logs.partition(tp).highWatermark
                let current = committed[tp]?.offset
                let owner = owners[tp]
                rows.append(ConsumerGroupLag(
                    group: description.groupID, state: description.state.rawValue, topic: tp.topic, partition: tp.partition,
                    currentOffset: current, logEndOffset: end, lag: current.flatMap { c in end.map { max(0, $0 - c) } },
                    memberID: owner?.memberID, host: owner?.clientHost, clientID: owner?.clientID))
            }
        }
        return rows
    }

    /// The partitions in a consumer-protocol assignment (ConsumerProtocolAssignment v0-3: version, then topics with
    /// their partitions, then user data); empty when the bytes are not one.
    static func assignedPartitions(_ assignment: ByteBuffer) -> [TopicPartition] {
        var buffer = assignment
        guard buffer.readInteger(as: Int16.self) != nil, let topicCount = buffer.readInteger(as: Int32.self), topicCount >= 0 else { return [] }
        var result: [TopicPartition] = []
        for _ in 0..<topicCount {
            guard let length = buffer.readInteger(as: Int16.self), length >= 0, let topic = buffer.readString(length: Int(length)),
                let count = buffer.readInteger(as: Int32.self), count >= 0, count <= buffer.readableBytes / 4
            else { return result }
            for _ in 0..<count {
                guard let partition = buffer.readInteger(as: Int32.self) else { return result }
                result.append(TopicPartition(topic, partition))
            }
        }
        return result
    }
}
