import KafkaWire
import LogStorage
import NIOCore
import SluiceCore
import Synchronization

/// Kafka's classic consumer-group protocol on one node: the group state machine (Empty, PreparingRebalance,
/// CompletingRebalance, Stable, Dead), JoinGroup/SyncGroup/Heartbeat/LeaveGroup with session and rebalance
/// timeouts, generation fencing, static membership (group.instance.id), and committed offsets kept by
/// `ConsumerOffsetStore` in `__consumer_offsets` in Kafka's format.
///
/// Group coordination is not a hot path, so the coordinator is an actor: a JoinGroup that must wait for the rest of
/// the group parks on a continuation until the rebalance completes or times out, as Kafka's delayed join does.
/// `tick()` expires sessions and rebalance deadlines; `start()` runs it every 100 ms.
///
/// Group membership lives in memory; committed offsets are durable. After a restart groups come back Empty with
/// their offsets, and members rejoin when told UNKNOWN_MEMBER_ID, as they do after a coordinator move in Kafka.
public actor GroupCoordinator {
    public struct Configuration: Sendable {
        /// group.min.session.timeout.ms / group.max.session.timeout.ms: joins outside get INVALID_SESSION_TIMEOUT.
        public var minSessionTimeoutMs: Int32 = 6_000
        public var maxSessionTimeoutMs: Int32 = 1_800_000
        /// group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for more members.
        public var initialRebalanceDelayMs: Int32 = 3_000
        /// group.max.size.
        public var maxGroupSize = Int.max
        /// offset.metadata.max.bytes.
        public var maxOffsetMetadataBytes = 4_096

        public init() {}
    }

    public enum State: String, Sendable {
        case empty = "Empty"
        case preparingRebalance = "PreparingRebalance"
        case completingRebalance = "CompletingRebalance"
        case stable = "Stable"
        case dead = "Dead"
    }

    struct Member {
        var id: String
        var groupInstanceID: String?
        var clientID: String
        var clientHost: String
        var sessionTimeoutMs: Int32
        var rebalanceTimeoutMs: Int32
        var protocolType: String
        var protocols: [(name: String, metadata: ByteBuffer)]
        var assignment = ByteBuffer()
        var awaitingJoin: CheckedContinuation<JoinGroupResponse, Never>?
        var awaitingSync: CheckedContinuation<SyncGroupResponse, Never>?
        /// Monotonic nanoseconds after which the member's session has expired.
        var sessionDeadline: UInt64

        func metadata(for protocolName: String) -> ByteBuffer {
            protocols.first { $0.name == protocolName }?.metadata ?? ByteBuffer()
        }
    }

    struct Group {
        var id: String
        var state = State.empty
        var generation: Int32 = 0
        var protocolType: String?
        var protocolName: String?
        var leader: String?
        /// Members in join order, so the leader and the member lists are deterministic.
        var members: [String: Member] = [:]
        var joinOrder: [String] = []
        /// Member ids handed out with MEMBER_ID_REQUIRED, valid until their deadline.
        var pendingMembers: [String: UInt64] = [:]
        var staticMembers: [String: String] = [:]
        /// When the current rebalance stops waiting for members that have not rejoined.
        var rebalanceDeadline: UInt64 = 0
        /// An empty group's first rebalance waits at least until here for more members.
        var initialDelayDeadline: UInt64 = 0

        var orderedMembers: [Member] { joinOrder.compactMap { members[$0] } }
        var allMembersJoined: Bool { members.values.allSatisfy { $0.awaitingJoin != nil } && pendingMembers.isEmpty }

        mutating func add(_ member: Member) {
            if members[member.id] == nil { joinOrder.append(member.id) }
            members[member.id] = member
            if let instance = member.groupInstanceID { staticMembers[instance] = member.id }
            if leader == nil { leader = member.id }
        }

        mutating func remove(_ memberID: String) -> Member? {
            guard let member = members.removeValue(forKey: memberID) else { return nil }
            joinOrder.removeAll { $0 == memberID }
            if let instance = member.groupInstanceID, staticMembers[instance] == memberID { staticMembers[instance] = nil }
            if leader == memberID { leader = joinOrder.first }
            return member
        }

        /// The protocol every member supports that most members list first (Kafka's `selectProtocol`).
        func selectProtocol() -> String? {
            let all = orderedMembers
            guard let first = all.first else { return nil }
            let candidates = first.protocols.map(\.name).filter { name in all.allSatisfy { $0.protocols.contains { $0.name == name } } }
            var votes: [String: Int] = [:]
            for member in all {
                if let vote = member.protocols.first(where: { candidates.contains($0.name) })?.name { votes[vote, default: 0] += 1 }
            }
            return candidates.max { votes[$0, default: 0] < votes[$1, default: 0] }
        }

        /// Whether `protocols` shares one with every current member (and the protocol type matches).
        func supports(protocolType: String, protocols: [String]) -> Bool {
            if members.isEmpty { return !protocols.isEmpty }
            return protocols.contains { name in
                members.values.allSatisfy { $0.protocolType == protocolType && $0.protocols.contains { $0.name == name } }
            }
        }
    }

    public let offsets: ConsumerOffsetStore
    public let configuration: Configuration
    private let clock: any Clock
    private var groups: [String: Group] = [:] {
        didSet { publishDescriptions() }
    }
    private var ticker: Task<Void, Never>?
    /// The groups as `describe` shows them, republished on every change, for readers outside the actor (SQL's
    /// SHOW CONSUMER GROUPS). Heartbeats republish too; groups are few, so that costs little.
    private let published = Mutex<[String: Description]>([:])

    public init(offsets: ConsumerOffsetStore, configuration: Configuration = .init(), clock: any Clock = SystemClock()) {
        self.offsets = offsets
        self.configuration = configuration
        self.clock = clock
    }

    /// Starts expiring sessions and rebalance deadlines every 100 ms until `shutdown()`.
    public func start() {
        guard ticker == nil else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 100_000_000)
                guard let self else { return }
                await self.tick()
            }
        }
    }

    /// Stops the timer and answers every parked request, so no connection waits on a coordinator that is gone.
    public func shutdown() {
        ticker?.cancel()
        ticker = nil
        for id in Array(groups.keys) {
            for member in groups[id]!.orderedMembers {
                member.awaitingJoin?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue))
                member.awaitingSync?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue))
            }
        }
        groups = [:]
    }

    private var now: UInt64 { clock.monotonicNanoseconds() }

    private static func nanoseconds(_ milliseconds: Int32) -> UInt64 { UInt64(max(0, milliseconds)) * 1_000_000 }

    // MARK: - JoinGroup

    public func join(_ request: JoinGroupRequest, version: Int16, clientID: String, clientHost: String) async -> JoinGroupResponse {
        func failure(_ code: KafkaErrorCode, memberID: String = "") -> JoinGroupResponse {
            JoinGroupResponse(errorCode: code.rawValue, memberId: memberID)
        }
        guard !request.groupId.isEmpty else { return failure(.invalidGroupID, memberID: request.memberId) }
        guard (configuration.minSessionTimeoutMs...configuration.maxSessionTimeoutMs).contains(request.sessionTimeoutMs) else {
            return failure(.invalidSessionTimeout, memberID: request.memberId)
        }
        let protocolNames = request.protocols.map(\.name)
        if groups[request.groupId] == nil {
            guard request.memberId.isEmpty else { return failure(.unknownMemberID, memberID: request.memberId) }
            groups[request.groupId] = Group(id: request.groupId)
        }
        var group = groups[request.groupId]!
        guard group.state != .dead else { return failure(.coordinatorNotAvailable, memberID: request.memberId) }
        guard group.supports(protocolType: request.protocolType, protocols: protocolNames) else {
            return failure(.inconsistentGroupProtocol, memberID: request.memberId)
        }
        let rebalanceTimeout = request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs
        var member = Member(
            id: request.memberId, groupInstanceID: request.groupInstanceId, clientID: clientID, clientHost: clientHost,
            sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeout, protocolType: request.protocolType,
            protocols: request.protocols.map { ($0.name, $0.metadata) },
            sessionDeadline: now + Self.nanoseconds(request.sessionTimeoutMs))

        if request.memberId.isEmpty {
            // A new member, or a static member coming back under a new member id.
            if let instance = request.groupInstanceId, let oldID = group.staticMembers[instance], let old = group.members[oldID] {
                member.id = Self.newMemberID(clientID: clientID, instance: instance)
                member.assignment = old.assignment
                old.awaitingJoin?.resume(returning: failure(.fencedInstanceID, memberID: oldID))
                old.awaitingSync?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.fencedInstanceID.rawValue))
                let wasLeader = group.leader == oldID
                _ = group.remove(oldID)
                group.add(member)
                if wasLeader { group.leader = member.id }
                let unchanged = old.protocols.map(\.name) == protocolNames
                if group.state == .stable && unchanged {
                    // Kafka answers a returning static member from the stable group without a rebalance.
                    groups[group.id] = group
                    return joinResponse(group, for: member.id)
                }
                if group.state != .preparingRebalance { prepareRebalance(&group) }
                return await parkJoin(member.id, in: &group)
            }
            guard group.members.count + group.pendingMembers.count < configuration.maxGroupSize else {
                return failure(.groupMaxSizeReached)
            }
            member.id = Self.newMemberID(clientID: clientID, instance: request.groupInstanceId)
            if version >= 4 && request.groupInstanceId == nil {
                // KIP-394: the client must come back with this id, so a lost response leaves no ghost member.
                group.pendingMembers[member.id] = now + Self.nanoseconds(request.sessionTimeoutMs)
                groups[group.id] = group
                return failure(.memberIDRequired, memberID: member.id)
            }
            group.add(member)
            prepareRebalance(&group)
            return await parkJoin(member.id, in: &group)
        }

        if group.pendingMembers.removeValue(forKey: request.memberId) != nil {
            group.add(member)
            prepareRebalance(&group)
            return await parkJoin(member.id, in: &group)
        }
        guard var existing = group.members[request.memberId] else { return failure(.unknownMemberID, memberID: request.memberId) }
        if let instance = request.groupInstanceId, group.staticMembers[instance] != request.memberId {
            return failure(.fencedInstanceID, memberID: request.memberId)
        }
        let unchanged = existing.protocols.map(\.name) == protocolNames
            && zip(existing.protocols, request.protocols).allSatisfy { $0.metadata == $1.metadata }
        existing.protocols = member.protocols
        existing.sessionTimeoutMs = member.sessionTimeoutMs
        existing.rebalanceTimeoutMs = member.rebalanceTimeoutMs
        existing.sessionDeadline = member.sessionDeadline
        group.members[existing.id] = existing
        switch group.state {
        case .preparingRebalance:
            return await parkJoin(existing.id, in: &group)
        case .completingRebalance where unchanged, .stable where unchanged && group.leader != existing.id:
            // The member lost our answer (or only refreshes): repeat it without disturbing the group.
            groups[group.id] = group
            return joinResponse(group, for: existing.id)
        default:
            prepareRebalance(&group)
            return await parkJoin(existing.id, in: &group)
        }
    }

    /// Parks the member's JoinGroup until the rebalance completes; completes it now when everyone has joined.
    private func parkJoin(_ memberID: String, in group: inout Group) async -> JoinGroupResponse {
        let id = group.id
        groups[id] = group
        return await withCheckedContinuation { continuation in
            groups[id]!.members[memberID]!.awaitingJoin = continuation
            maybeCompleteJoin(id)
        }
    }

    private func prepareRebalance(_ group: inout Group) {
        // A rebalance fails pending syncs: those members must rejoin.
        for id in group.joinOrder {
            if let sync = group.members[id]?.awaitingSync {
                sync.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.rebalanceInProgress.rawValue))
                group.members[id]!.awaitingSync = nil
            }
        }
        let timeout = group.members.values.map(\.rebalanceTimeoutMs).max() ?? 0
        if group.state == .empty {
            group.initialDelayDeadline = now + Self.nanoseconds(min(configuration.initialRebalanceDelayMs, max(timeout, 0)))
        } else if group.state != .preparingRebalance {
            group.initialDelayDeadline = 0
        }
        if group.state != .preparingRebalance { group.rebalanceDeadline = now + Self.nanoseconds(timeout) }
        group.state = .preparingRebalance
    }

    /// Completes the join phase when every member has rejoined (after an empty group's initial delay), or when the
    /// rebalance deadline passed, dropping the members that did not rejoin.
    private func maybeCompleteJoin(_ id: String) {
        guard var group = groups[id], group.state == .preparingRebalance else { return }
        let time = now
        let everyoneJoined = group.allMembersJoined && time >= group.initialDelayDeadline
        guard everyoneJoined || time >= group.rebalanceDeadline else { return }
        for member in group.orderedMembers where member.awaitingJoin == nil {
            _ = group.remove(member.id)
        }
        group.pendingMembers = [:]
        group.generation += 1
        if group.members.isEmpty {
            group.state = .empty
            group.protocolName = nil
            group.leader = nil
            groups[id] = group
            return
        }
        group.protocolType = group.orderedMembers.first?.protocolType
        group.protocolName = group.selectProtocol()
        group.state = .completingRebalance
        for memberID in group.joinOrder {
            group.members[memberID]!.assignment = ByteBuffer()
            group.members[memberID]!.sessionDeadline = time + Self.nanoseconds(group.members[memberID]!.sessionTimeoutMs)
        }
        let waiting = group.orderedMembers.compactMap { member in member.awaitingJoin.map { (member.id, $0) } }
        for memberID in group.joinOrder { group.members[memberID]!.awaitingJoin = nil }
        groups[id] = group
        for (memberID, continuation) in waiting { continuation.resume(returning: joinResponse(group, for: memberID)) }
    }

    private func joinResponse(_ group: Group, for memberID: String) -> JoinGroupResponse {
        let protocolName = group.protocolName ?? ""
        let members: [JoinGroupResponse.JoinGroupResponseMember] =
            group.leader == memberID
            ? group.orderedMembers.map { .init(memberId: $0.id, groupInstanceId: $0.groupInstanceID, metadata: $0.metadata(for: protocolName)) }
            : []
        return JoinGroupResponse(
            generationId: group.generation, protocolName: protocolName, leader: group.leader ?? "", memberId: memberID, members: members)
    }

    private static func newMemberID(clientID: String, instance: String?) -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }.joined(separator: "-")
        return (instance ?? clientID) + "-" + suffix
    }

    // MARK: - SyncGroup, Heartbeat, LeaveGroup

    public func sync(_ request: SyncGroupRequest) async -> SyncGroupResponse {
        func failure(_ code: KafkaErrorCode) -> SyncGroupResponse { SyncGroupResponse(errorCode: code.rawValue) }
        var group: Group
        do {
            group = try activeGroup(request.groupId, request.memberId, request.groupInstanceId, generation: request.generationId)
        } catch {
            return failure(error.code)
        }
        switch group.state {
        case .empty, .dead: return failure(.unknownMemberID)
        case .preparingRebalance: return failure(.rebalanceInProgress)
        case .stable:
            return SyncGroupResponse(assignment: group.members[request.memberId]!.assignment)
        case .completingRebalance:
            let id = group.id
            group.members[request.memberId]!.sessionDeadline = now + Self.nanoseconds(group.members[request.memberId]!.sessionTimeoutMs)
            if group.leader == request.memberId {
                for assignment in request.assignments where group.members[assignment.memberId] != nil {
                    group.members[assignment.memberId]!.assignment = assignment.assignment
                }
                group.state = .stable
                let waiting = group.orderedMembers.compactMap { member in member.awaitingSync.map { (member.assignment, $0) } }
                for memberID in group.joinOrder { group.members[memberID]!.awaitingSync = nil }
                groups[id] = group
                for (assignment, continuation) in waiting { continuation.resume(returning: SyncGroupResponse(assignment: assignment)) }
                return SyncGroupResponse(assignment: group.members[request.memberId]!.assignment)
            }
            groups[id] = group
            return await withCheckedContinuation { continuation in
                groups[id]!.members[request.memberId]!.awaitingSync = continuation
            }
        }
    }

    public func heartbeat(_ request: HeartbeatRequest) -> HeartbeatResponse {
        func response(_ code: KafkaErrorCode) -> HeartbeatResponse { HeartbeatResponse(errorCode: code.rawValue) }
        var group: Group
        do {
            group = try activeGroup(request.groupId, request.memberId, request.groupInstanceId, generation: request.generationId)
        } catch {
            return response(error.code)
        }
        switch group.state {
        case .empty, .dead: return response(.unknownMemberID)
        case .preparingRebalance, .completingRebalance, .stable:
            group.members[request.memberId]!.sessionDeadline = now + Self.nanoseconds(group.members[request.memberId]!.sessionTimeoutMs)
            groups[group.id] = group
            return response(group.state == .preparingRebalance ? .rebalanceInProgress : .none)
        }
    }

    public func leave(_ request: LeaveGroupRequest, version: Int16) -> LeaveGroupResponse {
        let identities = version >= 3 ? request.members : [.init(memberId: request.memberId)]
        guard var group = groups[request.groupId] else {
            let code = KafkaErrorCode.unknownMemberID.rawValue
            return LeaveGroupResponse(
                errorCode: code, members: identities.map { .init(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, errorCode: code) })
        }
        var results: [LeaveGroupResponse.MemberResponse] = []
        var removed = false
        for identity in identities {
            var memberID = identity.memberId
            if memberID.isEmpty, let instance = identity.groupInstanceId, let known = group.staticMembers[instance] { memberID = known }
            var code = KafkaErrorCode.none
            if let instance = identity.groupInstanceId, group.staticMembers[instance] != memberID {
                code = group.staticMembers[instance] == nil ? .unknownMemberID : .fencedInstanceID
            } else if group.pendingMembers.removeValue(forKey: memberID) != nil {
                removed = true
            } else if let member = group.remove(memberID) {
                member.awaitingJoin?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.unknownMemberID.rawValue, memberId: memberID))
                member.awaitingSync?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.unknownMemberID.rawValue))
                removed = true
            } else {
                code = .unknownMemberID
            }
            results.append(.init(memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, errorCode: code.rawValue))
        }
        if removed { membersLeft(&group) }
        let topCode = version < 3 ? results.first?.errorCode ?? 0 : 0
        return LeaveGroupResponse(errorCode: topCode, members: results)
    }

    /// After members left or expired: an emptied group becomes Empty; otherwise the rest rebalance.
    /// (A rebalance with no members left completes at once, into Empty with the next generation.)
    private func membersLeft(_ group: inout Group) {
        if group.state != .empty { prepareRebalance(&group) }
        groups[group.id] = group
        maybeCompleteJoin(group.id)
    }

    /// The group of a member's request, or the error for a group, member or generation it does not recognise.
    private func activeGroup(_ groupID: String, _ memberID: String, _ instance: String?, generation: Int32) throws(GroupError) -> Group {
        guard let group = groups[groupID] else { throw GroupError(code: .unknownMemberID) }
        if let code = validateMember(group, memberID, instance, generation: generation) { throw GroupError(code: code) }
        return group
    }

    struct GroupError: Error { var code: KafkaErrorCode }

    /// The error for a request naming a member and generation that the group does not recognise, if any.
    private func validateMember(_ group: Group, _ memberID: String, _ instance: String?, generation: Int32) -> KafkaErrorCode? {
        if let instance, let known = group.staticMembers[instance], known != memberID { return .fencedInstanceID }
        guard group.members[memberID] != nil else { return .unknownMemberID }
        guard generation == group.generation else { return .illegalGeneration }
        return nil
    }

    /// Expires sessions, stale MEMBER_ID_REQUIRED ids and rebalance deadlines.
    public func tick() {
        let time = now
        for id in Array(groups.keys) {
            guard var group = groups[id] else { continue }
            group.pendingMembers = group.pendingMembers.filter { $0.value > time }
            var expired = false
            for member in group.orderedMembers
            where member.awaitingJoin == nil && member.awaitingSync == nil && member.sessionDeadline <= time {
                _ = group.remove(member.id)
                expired = true
            }
            groups[id] = group
            if expired { membersLeft(&group) }
            maybeCompleteJoin(id)
        }
    }

    // MARK: - Offsets

    public func commitOffsets(_ request: OffsetCommitRequest) -> OffsetCommitResponse {
        func everyPartition(_ code: KafkaErrorCode) -> OffsetCommitResponse {
            OffsetCommitResponse(topics: request.topics.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: code.rawValue) })
            })
        }
        if let code = validateCommit(request) { return everyPartition(code) }
        var accepted: [(TopicPartition, ConsumerOffsetStore.CommittedOffset)] = []
        var codes: [[KafkaErrorCode]] = []
        let timestamp = clock.milliseconds()
        for topic in request.topics {
            codes.append(topic.partitions.map { partition in
                let tp = TopicPartition(topic.name, partition.partitionIndex)
                if (partition.committedMetadata?.utf8.count ?? 0) > configuration.maxOffsetMetadataBytes { return .offsetMetadataTooLarge }
                guard (try? offsets.logs.partition(tp)) != nil else { return .unknownTopicOrPartition }
                accepted.append((tp, .init(offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch,
                                           metadata: partition.committedMetadata ?? "", commitTimestamp: timestamp)))
                return .none
            })
        }
        do {
            try offsets.commit(group: request.groupId, offsets: accepted)
        } catch {
            // Nothing was acknowledged: the client retries.
            return everyPartition(.coordinatorNotAvailable)
        }
        return OffsetCommitResponse(topics: zip(request.topics, codes).map { topic, codes in
            .init(name: topic.name, partitions: zip(topic.partitions, codes).map { .init(partitionIndex: $0.partitionIndex, errorCode: $1.rawValue) })
        })
    }

    /// Kafka's rules: a commit without a member (generation -1) is an admin or standalone commit, allowed only
    /// while the group has no members; a member's commit must name the current generation, and not in the middle
    /// of a rebalance's sync phase.
    private func validateCommit(_ request: OffsetCommitRequest) -> KafkaErrorCode? {
        guard !request.groupId.isEmpty else { return .invalidGroupID }
        let standalone = request.generationIdOrMemberEpoch < 0 && request.memberId.isEmpty && request.groupInstanceId == nil
        guard let group = groups[request.groupId] else { return standalone ? nil : .unknownMemberID }
        if standalone { return group.state == .empty ? nil : .unknownMemberID }
        if let code = validateMember(group, request.memberId, request.groupInstanceId, generation: request.generationIdOrMemberEpoch) {
            return code
        }
        return group.state == .completingRebalance ? .rebalanceInProgress : nil
    }

    public func fetchOffsets(_ request: OffsetFetchRequest) -> OffsetFetchResponse {
        let committed = offsets.committed(group: request.groupId)
        let wanted: [(String, [Int32])]
        if let topics = request.topics {
            wanted = topics.map { ($0.name, $0.partitionIndexes) }
        } else {
            let byTopic = Dictionary(grouping: committed.keys, by: \.topic)
            wanted = byTopic.keys.sorted().map { topic in (topic, byTopic[topic]!.map(\.partition).sorted()) }
        }
        return OffsetFetchResponse(topics: wanted.map { topic, partitions in
            .init(name: topic, partitions: partitions.map { partition in
                guard let value = committed[TopicPartition(topic, partition)] else {
                    return .init(partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: "")
                }
                return .init(partitionIndex: partition, committedOffset: value.offset, committedLeaderEpoch: value.leaderEpoch, metadata: value.metadata)
            })
        })
    }

    // MARK: - Describe, list, delete

    /// What DescribeGroups, ListGroups and SQL show of a group.
    public struct Description: Sendable {
        public struct Member: Sendable {
            public var memberID: String
            public var groupInstanceID: String?
            public var clientID: String
            public var clientHost: String
            public var metadata: ByteBuffer
            public var assignment: ByteBuffer
        }

        public var groupID: String
        public var state: State
        public var generation: Int32
        public var protocolType: String
        public var protocolName: String
        public var members: [Member]
    }

    /// Live groups and groups known only by their committed offsets (Empty, as Kafka reports them).
    public func describe(_ groupID: String) -> Description? {
        guard let group = groups[groupID] else {
            return offsets.groups.contains(groupID) ? Self.offsetsOnly(groupID) : nil
        }
        return Self.description(group)
    }

    private func publishDescriptions() {
        let descriptions = groups.mapValues(Self.description)
        published.withLock { $0 = descriptions }
    }

    /// Every group, live or known by its committed offsets, without waiting for the actor.
    public nonisolated func describeAll() -> [Description] {
        let live = published.withLock { $0 }
        return Set(live.keys).union(offsets.groups).sorted().map { id in
            live[id] ?? Self.offsetsOnly(id)
        }
    }

    /// A group known only by its committed offsets: Empty, as Kafka reports such groups.
    private static func offsetsOnly(_ groupID: String) -> Description {
        Description(groupID: groupID, state: .empty, generation: 0, protocolType: "", protocolName: "", members: [])
    }

    private static func description(_ group: Group) -> Description {
        let stable = group.state == .stable
        return Description(
            groupID: group.id, state: group.state, generation: group.generation, protocolType: group.protocolType ?? "",
            protocolName: group.protocolName ?? "",
            members: group.orderedMembers.map { member in
                .init(memberID: member.id, groupInstanceID: member.groupInstanceID, clientID: member.clientID, clientHost: member.clientHost,
                      metadata: stable ? member.metadata(for: group.protocolName ?? "") : ByteBuffer(),
                      assignment: stable ? member.assignment : ByteBuffer())
            })
    }

    public func describeGroups(_ request: DescribeGroupsRequest) -> DescribeGroupsResponse {
        DescribeGroupsResponse(groups: request.groups.map { id in
            guard let description = describe(id) else {
                return .init(groupId: id, groupState: State.dead.rawValue, authorizedOperations: Int32.min)
            }
            return .init(
                groupId: id, groupState: description.state.rawValue, protocolType: description.protocolType,
                protocolData: description.protocolName,
                members: description.members.map {
                    .init(memberId: $0.memberID, groupInstanceId: $0.groupInstanceID, clientId: $0.clientID, clientHost: $0.clientHost,
                          memberMetadata: $0.metadata, memberAssignment: $0.assignment)
                },
                authorizedOperations: Int32.min)
        })
    }

    public func listGroups() -> ListGroupsResponse {
        ListGroupsResponse(groups: describeAll().map { .init(groupId: $0.groupID, protocolType: $0.protocolType) })
    }

    /// Deletes groups that have no members, with their committed offsets.
    public func deleteGroups(_ request: DeleteGroupsRequest) -> DeleteGroupsResponse {
        DeleteGroupsResponse(results: request.groupsNames.map { id in
            let known = groups[id] != nil || offsets.groups.contains(id)
            guard known else { return .init(groupId: id, errorCode: KafkaErrorCode.groupIDNotFound.rawValue) }
            if let group = groups[id], group.state != .empty && group.state != .dead {
                return .init(groupId: id, errorCode: KafkaErrorCode.nonEmptyGroup.rawValue)
            }
            do {
                try offsets.deleteGroup(id)
            } catch {
                return .init(groupId: id, errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue)
            }
            groups[id] = nil
            return .init(groupId: id, errorCode: 0)
        })
    }
}
