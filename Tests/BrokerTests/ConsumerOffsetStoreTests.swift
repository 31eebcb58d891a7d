import LogStorage
import SluiceCore
import SluiceTestSupport
import Testing

@testable import Broker

@Suite struct ConsumerOffsetStoreTests {
    @Test func commitsSurviveRestartAndAreStoredInKafkasFormat() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let logs = try LogManager(dataDirectory: dir.path)
            let store = try ConsumerOffsetStore(logs: logs, clock: ManualClock(milliseconds: 1_234))
            try store.commit(group: "g1", topicPartition: TopicPartition("orders", 2), offset: 42, leaderEpoch: 3, metadata: "m")
            try store.commit(group: "g1", topicPartition: TopicPartition("orders", 2), offset: 50)
            try store.commit(group: "g2", topicPartition: TopicPartition("orders", 0), offset: 7)
            try store.deleteGroup("g2")
            try logs.close()
        }
        let logs = try LogManager(dataDirectory: dir.path)
        defer { try? logs.close() }
        let store = try ConsumerOffsetStore(logs: logs)
        #expect(store.committed(group: "g1", topicPartition: TopicPartition("orders", 2)) == .init(offset: 50, leaderEpoch: -1, metadata: "", commitTimestamp: 1_234))
        #expect(store.committed(group: "g2").isEmpty)
        #expect(store.groups == ["g1"])
        #expect(logs.topic("__consumer_offsets")?.partitions.count == 50)
        #expect(logs.topic("__consumer_offsets")?.configOverrides["cleanup.policy"] == "compact")
    }

    /// OffsetCommitKey v1 and OffsetCommitValue v3, byte by byte from Kafka's schemas.
    @Test func keyAndValueBytes() {
        let key = ConsumerOffsetStore.encodeKey(group: "g", TopicPartition("t", 1))
        #expect(key == [0, 1, 0, 1, UInt8(ascii: "g"), 0, 1, UInt8(ascii: "t"), 0, 0, 0, 1])
        let value = ConsumerOffsetStore.encodeValue(.init(offset: 5, leaderEpoch: 2, metadata: "", commitTimestamp: 9))
        // version 3 | offset 5 | leader epoch 2 | metadata "" (int16 length 0) | commit timestamp 9
        #expect(value == [0, 3] + [0, 0, 0, 0, 0, 0, 0, 5] + [0, 0, 0, 2] + [0, 0] + [0, 0, 0, 0, 0, 0, 0, 9])
        // A v1 value (with an expire timestamp) from an older Kafka decodes too.
        // version 1 | offset 8 | metadata "" | commit timestamp 4 | expire timestamp 0
        let v1: [UInt8] = [0, 1] + [0, 0, 0, 0, 0, 0, 0, 8] + [0, 0] + [0, 0, 0, 0, 0, 0, 0, 4] + [0, 0, 0, 0, 0, 0, 0, 0]
        #expect(v1.withUnsafeBytes { ConsumerOffsetStore.decodeValue($0) } == .init(offset: 8, leaderEpoch: -1, metadata: "", commitTimestamp: 4))
        #expect([UInt8]([0, 2, 0, 1]).withUnsafeBytes { ConsumerOffsetStore.decodeKey($0) } == nil)  // group metadata key
        #expect([UInt8]([0, 1, 0, 9]).withUnsafeBytes { ConsumerOffsetStore.decodeKey($0) } == nil)  // truncated
    }

    @Test func groupsMapToPartitionsAsKafkaDoes() {
        #expect(ConsumerOffsetStore.javaHashCode("abc") == 96_354)
        #expect(ConsumerOffsetStore.javaHashCode("") == 0)
        #expect(ConsumerOffsetStore.javaHashCode("polygenelubricants") == Int32.min)
        #expect(ConsumerOffsetStore.kafkaAbs(.min) == 0)
    }
}

@Suite struct PartitionerTests {
    /// Values from Kafka's UtilsTest.testMurmur2.
    @Test(arguments: [("21", Int32(-973_932_308)), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
                      ("a-little-bit-longer-string", -1_486_304_829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
                      ("abc", 479_470_107)])
    func murmur2(input: String, expected: Int32) {
        #expect(Array(input.utf8).withUnsafeBytes { Partitioner.murmur2($0) } == expected)
    }
}
