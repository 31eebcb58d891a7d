import KafkaWire
import LogStorage
import NIOCore
import SluiceCore
import SluiceTestSupport
import Testing

@testable import Broker

/// The classic group protocol against Kafka's rules (kafka-notes.md, "Group coordinator"), on a manual clock so
/// timeouts are exact. Members are plain requests, as a client library would send them.
@Suite struct GroupCoordinatorTests {
    final class Fixture: Sendable {
        let dir = TemporaryDirectory()
        let logs: LogManager
        let clock = ManualClock()
        let coordinator: GroupCoordinator

        init(initialDelayMs: Int32 = 0) throws {
            logs = try LogManager(dataDirectory: dir.path)
            try logs.createTopic("orders", partitions: 2)
            var configuration = GroupCoordinator.Configuration()
            configuration.initialRebalanceDelayMs = initialDelayMs
            coordinator = GroupCoordinator(
                offsets: try ConsumerOffsetStore(logs: logs, clock: clock, partitionCount: 3), configuration: configuration, clock: clock)
        }

        deinit {
            try? logs.close()
            dir.remove()
        }

        func join(_ memberID: String = "", version: Int16 = 3, instance: String? = nil, protocols: [String] = ["range"], session: Int32 = 10_000)
            async -> JoinGroupResponse
        {
            let request = JoinGroupRequest(
                groupId: "g", sessionTimeoutMs: session, rebalanceTimeoutMs: 20_000, memberId: memberID, groupInstanceId: instance,
                protocolType: "consumer", protocols: protocols.map { .init(name: $0, metadata: ByteBuffer(string: "meta-\($0)")) })
            return await coordinator.join(request, version: version, clientID: "client", clientHost: "/127.0.0.1")
        }

        func sync(_ memberID: String, generation: Int32, assignments: [String: String] = [:]) async -> SyncGroupResponse {
            await coordinator.sync(
                SyncGroupRequest(
                    groupId: "g", generationId: generation, memberId: memberID,
                    assignments: assignments.map { .init(memberId: $0.key, assignment: ByteBuffer(string: $0.value)) }))
        }

        func heartbeat(_ memberID: String, generation: Int32) async -> KafkaErrorCode? {
            KafkaErrorCode(rawValue: await coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: generation, memberId: memberID)).errorCode)
        }

        func commit(_ memberID: String, generation: Int32, offset: Int64, metadata: String? = "") async -> KafkaErrorCode? {
            let response = await coordinator.commitOffsets(
                OffsetCommitRequest(
                    groupId: "g", generationIdOrMemberEpoch: generation, memberId: memberID,
                    topics: [.init(name: "orders", partitions: [.init(partitionIndex: 1, committedOffset: offset, committedMetadata: metadata)])]))
            return KafkaErrorCode(rawValue: response.topics[0].partitions[0].errorCode)
        }

        func state() async -> GroupCoordinator.State? { await coordinator.describe("g")?.state }

        /// Waits until `count` members are parked in the group (their JoinGroup tasks run concurrently).
        func waitForMembers(_ count: Int) async {
            for _ in 0..<2_000 where await coordinator.describe("g")?.members.count != count { await Task.yield() }
        }
    }

    @Test func singleMemberJoinsSyncsAndHeartbeats() async throws {
        let f = try Fixture()
        let joined = await f.join()
        #expect(joined.errorCode == 0)
        #expect(joined.generationId == 1)
        #expect(joined.leader == joined.memberId)
        #expect(joined.protocolName == "range")
        #expect(joined.members.map(\.memberId) == [joined.memberId])
        #expect(joined.members.first?.metadata == ByteBuffer(string: "meta-range"))
        #expect(await f.state() == .completingRebalance)
        // The member commits nothing mid-rebalance.
        #expect(await f.commit(joined.memberId, generation: 1, offset: 3) == .rebalanceInProgress)
        let synced = await f.sync(joined.memberId, generation: 1, assignments: [joined.memberId: "all of it"])
        #expect(synced.errorCode == 0)
        #expect(synced.assignment == ByteBuffer(string: "all of it"))
        #expect(await f.state() == .stable)
        #expect(await f.heartbeat(joined.memberId, generation: 1) == KafkaErrorCode.none)
        #expect(await f.heartbeat(joined.memberId, generation: 0) == .illegalGeneration)
        #expect(await f.heartbeat("stranger", generation: 1) == .unknownMemberID)
    }

    @Test func version4JoinsNeedTheMemberIDFirst() async throws {
        let f = try Fixture()
        let first = await f.join(version: 4)
        #expect(first.errorCode == KafkaErrorCode.memberIDRequired.rawValue)
        #expect(first.memberId.hasPrefix("client-"))
        #expect(await f.state() == .empty)
        let second = await f.join(first.memberId, version: 4)
        #expect(second.errorCode == 0)
        #expect(second.memberId == first.memberId)
        #expect(second.generationId == 1)
        // An id the coordinator never handed out is refused.
        #expect(await f.join("made-up", version: 4).errorCode == KafkaErrorCode.unknownMemberID.rawValue)
    }

    @Test func twoMembersRebalanceTogetherAndTheFollowerWaitsForTheLeadersAssignment() async throws {
        let f = try Fixture(initialDelayMs: 3_000)
        async let a = f.join()
        await f.waitForMembers(1)
        async let b = f.join()
        await f.waitForMembers(2)
        // Both are parked until the initial delay passes.
        #expect(await f.state() == .preparingRebalance)
        f.clock.advance(milliseconds: 3_000)
        await f.coordinator.tick()
        let (ja, jb) = await (a, b)
        #expect(ja.generationId == 1 && jb.generationId == 1)
        #expect(ja.leader == jb.leader)
        let (leader, follower) = ja.leader == ja.memberId ? (ja, jb) : (jb, ja)
        #expect(leader.members.count == 2)
        #expect(follower.members.isEmpty)

        async let followerSync = f.sync(follower.memberId, generation: 1)
        for _ in 0..<2_000 { await Task.yield() }
        let leaderSync = await f.sync(
            leader.memberId, generation: 1, assignments: [leader.memberId: "p0", follower.memberId: "p1"])
        #expect(leaderSync.assignment == ByteBuffer(string: "p0"))
        #expect(await followerSync.assignment == ByteBuffer(string: "p1"))
        let description = try #require(await f.coordinator.describe("g"))
        #expect(description.state == .stable)
        #expect(Set(description.members.map(\.memberID)) == [leader.memberId, follower.memberId])
    }

    @Test func anExpiredSessionRebalancesTheRest() async throws {
        let f = try Fixture()
        let a = await f.join()
        _ = await f.sync(a.memberId, generation: 1, assignments: [a.memberId: "x"])
        // B joins the stable group: A learns of the rebalance through its heartbeat and rejoins.
        async let b = f.join()
        await f.waitForMembers(2)
        #expect(await f.heartbeat(a.memberId, generation: 1) == .rebalanceInProgress)
        let rejoined = await f.join(a.memberId)
        let jb = await b
        #expect(rejoined.generationId == 2 && jb.generationId == 2)
        _ = await f.sync(rejoined.leader, generation: 2, assignments: [:])
        // B stops heartbeating: past its session timeout it is removed and A must rejoin alone.
        f.clock.advance(milliseconds: 6_000)
        #expect(await f.heartbeat(a.memberId, generation: 2) == KafkaErrorCode.none)
        f.clock.advance(milliseconds: 5_000)
        await f.coordinator.tick()
        #expect(await f.heartbeat(a.memberId, generation: 2) == .rebalanceInProgress)
        let alone = await f.join(a.memberId)
        #expect(alone.generationId == 3)
        #expect(alone.members.map(\.memberId) == [a.memberId])
        #expect(await f.heartbeat(jb.memberId, generation: 2) == .unknownMemberID)
    }

    @Test func leavingEmptiesTheGroupAndDeleteRemovesItsOffsets() async throws {
        let f = try Fixture()
        let a = await f.join()
        _ = await f.sync(a.memberId, generation: 1)
        #expect(await f.commit(a.memberId, generation: 1, offset: 17) == KafkaErrorCode.none)
        let deleteWhileStable = await f.coordinator.deleteGroups(DeleteGroupsRequest(groupsNames: ["g"]))
        #expect(deleteWhileStable.results.first?.errorCode == KafkaErrorCode.nonEmptyGroup.rawValue)
        let left = await f.coordinator.leave(LeaveGroupRequest(groupId: "g", memberId: a.memberId), version: 1)
        #expect(left.errorCode == 0)
        #expect(await f.state() == .empty)
        #expect(await f.heartbeat(a.memberId, generation: 1) == .unknownMemberID)
        let listed = await f.coordinator.listGroups()
        #expect(listed.groups.map(\.groupId) == ["g"])
        let deleted = await f.coordinator.deleteGroups(DeleteGroupsRequest(groupsNames: ["g", "nope"]))
        #expect(deleted.results.map(\.errorCode) == [0, KafkaErrorCode.groupIDNotFound.rawValue])
        #expect(await f.coordinator.describe("g") == nil)
        let fetched = await f.coordinator.fetchOffsets(OffsetFetchRequest(groupId: "g", topics: [.init(name: "orders", partitionIndexes: [1])]))
        #expect(fetched.topics[0].partitions[0].committedOffset == -1)
    }

    @Test func commitsAreFencedByGenerationAndSurviveARestart() async throws {
        let f = try Fixture()
        // A standalone commit (no member, generation -1) is allowed while the group has no members.
        #expect(await f.commit("", generation: -1, offset: 5) == KafkaErrorCode.none)
        let unknownTopic = await f.coordinator.commitOffsets(
            OffsetCommitRequest(groupId: "g", generationIdOrMemberEpoch: -1, topics: [.init(name: "missing", partitions: [.init(partitionIndex: 0)])]))
        #expect(unknownTopic.topics[0].partitions[0].errorCode == KafkaErrorCode.unknownTopicOrPartition.rawValue)
        let a = await f.join()
        _ = await f.sync(a.memberId, generation: 1)
        #expect(await f.commit("", generation: -1, offset: 6) == .unknownMemberID)
        #expect(await f.commit(a.memberId, generation: 7, offset: 6) == .illegalGeneration)
        #expect(await f.commit(a.memberId, generation: 1, offset: 9, metadata: String(repeating: "x", count: 4_097)) == .offsetMetadataTooLarge)
        #expect(await f.commit(a.memberId, generation: 1, offset: 9, metadata: "m") == KafkaErrorCode.none)

        let all = await f.coordinator.fetchOffsets(OffsetFetchRequest(groupId: "g", topics: nil))
        #expect(all.topics.map(\.name) == ["orders"])
        #expect(all.topics[0].partitions.map(\.committedOffset) == [9])
        #expect(all.topics[0].partitions.map(\.metadata) == ["m"])
        // A new store on the same log (a restarted server) reads the offsets back from __consumer_offsets.
        let reopened = try ConsumerOffsetStore(logs: f.logs, partitionCount: 3)
        #expect(reopened.committed(group: "g", topicPartition: TopicPartition("orders", 1))?.offset == 9)
    }

    @Test func staticMembersComeBackWithoutARebalanceAndFenceTheirOldSelves() async throws {
        let f = try Fixture()
        let first = await f.join(version: 5, instance: "pod-1")
        #expect(first.errorCode == 0)
        _ = await f.sync(first.memberId, generation: 1, assignments: [first.memberId: "p0"])
        let again = await f.join(version: 5, instance: "pod-1")
        #expect(again.errorCode == 0)
        #expect(again.memberId != first.memberId)
        #expect(again.generationId == 1)
        #expect(await f.state() == .stable)
        #expect(await f.sync(again.memberId, generation: 1).assignment == ByteBuffer(string: "p0"))
        let fenced = await f.coordinator.heartbeat(HeartbeatRequest(groupId: "g", generationId: 1, memberId: first.memberId, groupInstanceId: "pod-1"))
        #expect(fenced.errorCode == KafkaErrorCode.fencedInstanceID.rawValue)
    }

    @Test func badJoinsGetKafkasErrors() async throws {
        let f = try Fixture()
        #expect(await f.join(session: 1_000).errorCode == KafkaErrorCode.invalidSessionTimeout.rawValue)
        let a = await f.join(protocols: ["range"])
        #expect(a.errorCode == 0)
        #expect(await f.join(protocols: ["roundrobin"]).errorCode == KafkaErrorCode.inconsistentGroupProtocol.rawValue)
        let noGroup = await f.coordinator.join(
            JoinGroupRequest(groupId: "", sessionTimeoutMs: 10_000, protocolType: "consumer", protocols: [.init(name: "range")]),
            version: 1, clientID: "c", clientHost: "")
        #expect(noGroup.errorCode == KafkaErrorCode.invalidGroupID.rawValue)
    }
}
