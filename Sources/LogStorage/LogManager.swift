import Glibc
import SluiceCore

/// All topics and partitions of one data directory (Kafka's `LogManager`): creates, lists, describes and deletes
/// topics, opens every partition at start (recovering after an unclean stop), runs retention, flushing and
/// checkpoints, and marks a clean shutdown. Holds an exclusive lock on the directory while open. Thread-safe.
public final class LogManager: @unchecked Sendable {
    // @unchecked: `topics` is only touched with `lock` held; the rest is immutable.
    public let dataDirectory: String
    public let defaultConfig: LogConfig
    let fileSystem: any FileSystem
    let clock: any Clock
    private let lock = Lock()
    private var topics: [String: Topic] = [:]
    fileprivate let lockFD: Int32
    /// Whether the previous process stopped cleanly (recovery scans were skipped).
    public let openedAfterCleanShutdown: Bool
    /// Signalled after every append through `append(_:to:)`, for long-polling readers.
    public let appended = AppendSignal()

    /// A topic: its partitions and settings.
    public struct Topic: Sendable {
        public var name: String
        public var partitions: [PartitionLog]
        public var configOverrides: [String: String]
    }

    static let cleanShutdownFile = ".clean-shutdown"
    static let metaDirectory = "meta/topics"

    public init(
        dataDirectory: String, defaultConfig: LogConfig = LogConfig(), fileSystem: any FileSystem = PosixFileSystem(),
        clock: any Clock = SystemClock()
    ) throws {
        self.dataDirectory = dataDirectory
        self.defaultConfig = defaultConfig
        self.fileSystem = fileSystem
        self.clock = clock
        do {
            try fileSystem.createDirectory(dataDirectory + "/" + Self.metaDirectory)
        } catch let error as IOError {
            throw LogError(error)
        }
        lockFD = try Self.lockDirectory(dataDirectory)
        let marker = dataDirectory + "/" + Self.cleanShutdownFile
        openedAfterCleanShutdown = fileSystem.fileExists(marker)
        do {
            try loadTopics(cleanShutdown: openedAfterCleanShutdown)
            if openedAfterCleanShutdown {
                try fileSystem.removeItem(marker)
                try fileSystem.syncDirectory(dataDirectory)
            }
        } catch {
            Glibc.close(lockFD)
            if let error = error as? IOError { throw LogError(error) }
            throw error
        }
    }

    /// flock(2) on `<dir>/.lock`, so that two processes never write one data directory.
    private static func lockDirectory(_ directory: String) throws -> Int32 {
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LogError(IOError("open", path: path, errno: errno)) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingSuffix("\n") : "another process"
            Glibc.close(fd)
            throw LogError(.dataDirectoryInUse, "data directory \(directory) is in use by process \(holder); stop it or use another --data-dir")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return fd
    }

    private func loadTopics(cleanShutdown: Bool) throws {
        let meta = dataDirectory + "/" + Self.metaDirectory
        for name in try fileSystem.contentsOfDirectory(meta).sorted() where !name.hasSuffix(".tmp") {
            guard let bytes = try fileSystem.readFile(meta + "/" + name), let (count, overrides) = Self.parseTopicFile(bytes) else {
                continue
            }
            let config = try LogConfig(overrides: overrides, base: defaultConfig)
            var partitions: [PartitionLog] = []
            for p in 0..<count {
                let log = try PartitionLog.open(
                    directory: partitionDirectory(name, PartitionID(p)), topicPartition: TopicPartition(name, PartitionID(p)),
                    config: config, fileSystem: fileSystem, clock: clock, cleanShutdown: cleanShutdown)
                log.updateHighWatermark(log.logEndOffset)  // a single replica: everything recovered is committed
                partitions.append(log)
            }
            topics[name] = Topic(name: name, partitions: partitions, configOverrides: overrides)
        }
    }

    func partitionDirectory(_ topic: String, _ partition: PartitionID) -> String {
        dataDirectory + "/" + TopicPartition(topic, partition).description
    }

    // MARK: - Topics

    /// Creates a topic with `partitions` partitions and topic-config overrides. With `validateOnly` (Kafka's
    /// CreateTopics flag) it only makes the checks and returns the topic it would create, without partitions.
    @discardableResult
    public func createTopic(_ name: String, partitions: Int, config overrides: [String: String] = [:], validateOnly: Bool = false) throws -> Topic {
        try TopicName.validate(name)
        guard partitions >= 1, partitions <= 100_000 else {
            throw LogError(.invalidPartitions, "a topic needs between 1 and 100000 partitions, not \(partitions)")
        }
        let config = try LogConfig(overrides: overrides, base: defaultConfig)
        return try lock.withLock {
            guard topics[name] == nil else { throw LogError(.topicAlreadyExists, "topic '\(name)' already exists") }
            if let clash = topics.keys.first(where: { Self.collides($0, name) }) {
                throw LogError(.invalidTopic, "topic '\(name)' collides with existing topic '\(clash)': '.' and '_' are treated alike in metric names, as in Kafka")
            }
            if validateOnly { return Topic(name: name, partitions: [], configOverrides: overrides) }
            let logs = try openPartitions(name, 0..<partitions, config: config)
            try writeTopicFile(name, partitions: partitions, overrides: overrides)
            let topic = Topic(name: name, partitions: logs, configOverrides: overrides)
            topics[name] = topic
            return topic
        }
    }

    static func collides(_ a: String, _ b: String) -> Bool {
        a != b && a.replacing(".", with: "_") == b.replacing(".", with: "_")
    }

    /// Grows a topic to `count` partitions (Kafka's CreatePartitions); partitions are never removed. With
    /// `validateOnly` it only makes the checks.
    @discardableResult
    public func addPartitions(_ name: String, count: Int, validateOnly: Bool = false) throws -> Topic {
        try lock.withLock {
            guard var topic = topics[name] else { throw unknownTopic(name) }
            let current = topic.partitions.count
            guard count > current else {
                throw LogError(.invalidPartitions, "Topic currently has \(current) partitions, which is higher than or equal to the requested \(count).")
            }
            guard count <= 100_000 else { throw LogError(.invalidPartitions, "a topic has at most 100000 partitions, not \(count)") }
            if validateOnly { return topic }
            let config = try LogConfig(overrides: topic.configOverrides, base: defaultConfig)
            topic.partitions += try openPartitions(name, current..<count, config: config)
            try writeTopicFile(name, partitions: count, overrides: topic.configOverrides)
            topics[name] = topic
            return topic
        }
    }

    /// Opens (creating when new) the logs of partitions `range` of a topic. Called with `lock` held.
    private func openPartitions(_ name: String, _ range: Range<Int>, config: LogConfig) throws -> [PartitionLog] {
        try range.map { p in
            let tp = TopicPartition(name, PartitionID(p))
            return try PartitionLog.open(directory: partitionDirectory(name, tp.partition), topicPartition: tp, config: config,
                                         fileSystem: fileSystem, clock: clock, cleanShutdown: false)
        }
    }

    /// Deletes a topic and its files.
    public func deleteTopic(_ name: String) throws {
        let topic = try lock.withLock {
            guard let topic = topics.removeValue(forKey: name) else { throw unknownTopic(name) }
            do {
                try fileSystem.removeItem(dataDirectory + "/" + Self.metaDirectory + "/" + name)
            } catch let error as IOError {
                throw LogError(error)
            }
            return topic
        }
        for partition in topic.partitions { try partition.deleteFiles() }
    }

    /// Changes a topic's config overrides (Kafka's AlterConfigs: the given map replaces the overrides); with
    /// `validateOnly`, only checks them.
    public func alterTopicConfig(_ name: String, overrides: [String: String], validateOnly: Bool = false) throws {
        let config = try LogConfig(overrides: overrides, base: defaultConfig)
        try lock.withLock {
            guard var topic = topics[name] else { throw unknownTopic(name) }
            if validateOnly { return }
            try writeTopicFile(name, partitions: topic.partitions.count, overrides: overrides)
            topic.configOverrides = overrides
            topics[name] = topic
            for partition in topic.partitions { partition.updateConfig(config) }
        }
    }

    public func topic(_ name: String) -> Topic? { lock.withLock { topics[name] } }
    public var topicNames: [String] { lock.withLock { topics.keys.sorted() } }

    /// The log of one partition, or `unknownTopicOrPartition`.
    public func partition(_ tp: TopicPartition) throws -> PartitionLog {
        try lock.withLock {
            guard let topic = topics[tp.topic] else { throw unknownTopic(tp.topic) }
            guard tp.partition >= 0, Int(tp.partition) < topic.partitions.count else {
                throw LogError(.unknownTopicOrPartition, "topic '\(tp.topic)' has no partition \(tp.partition) (it has \(topic.partitions.count))")
            }
            return topic.partitions[Int(tp.partition)]
        }
    }

    private func unknownTopic(_ name: String) -> LogError {
        LogError(.unknownTopicOrPartition, "topic '\(name)' does not exist")
    }

    /// Appends as the only replica: the high watermark follows the log end once the append is as durable as the
    /// topic's policy promises.
    public func append(_ batches: inout [UInt8], to tp: TopicPartition) throws -> PartitionLog.AppendResult {
        let log = try partition(tp)
        let result = try log.append(&batches)
        log.advanceHighWatermark(to: result.lastOffset + 1)
        appended.signal()
        return result
    }

    // MARK: - Topic files

    private func writeTopicFile(_ name: String, partitions: Int, overrides: [String: String]) throws {
        var text = "partitions \(partitions)\n"
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) { text += "config \(key)=\(value)\n" }
        do {
            try fileSystem.writeAtomically(Array(text.utf8), to: dataDirectory + "/" + Self.metaDirectory + "/" + name)
        } catch let error as IOError {
            throw LogError(error)
        }
    }

    static func parseTopicFile(_ bytes: [UInt8]) -> (Int, [String: String])? {
        var partitions: Int?
        var overrides: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("partitions "), let n = Int(line.dropFirst("partitions ".count)) { partitions = n }
            if line.hasPrefix("config "), let eq = line.firstIndex(of: "=") {
                overrides[String(line[line.index(line.startIndex, offsetBy: 7)..<eq])] = String(line[line.index(after: eq)...])
            }
        }
        return partitions.map { ($0, overrides) }
    }

    // MARK: - Maintenance

    /// One pass of background work: time-triggered flushes, retention, compaction of compacted topics with a newly
    /// closed segment, and checkpoints. `sluice serve` calls it every few seconds.
    public func runMaintenance() throws {
        for topic in lock.withLock({ Array(topics.values) }) {
            for partition in topic.partitions {
                try partition.flushIfDue()
                try partition.deleteOldSegments()
                try partition.compactIfDirty()
                try partition.checkpoint()
            }
        }
    }

    /// Closes every partition (flush, snapshot, checkpoint), then marks the shutdown clean so that the next start
    /// skips recovery scans.
    public func close() throws {
        let all = lock.withLock { topics.values.flatMap(\.partitions) }
        for partition in all { try partition.close() }
        do {
            try fileSystem.writeAtomically(Array("clean\n".utf8), to: dataDirectory + "/" + Self.cleanShutdownFile)
        } catch let error as IOError {
            throw LogError(error)
        }
        Glibc.close(lockFD)
    }
}

extension LogManager {
    /// Releases the data directory as a crash would: no flush, no snapshot, no clean-shutdown marker. For crash and
    /// recovery tests and benchmarks only.
    public func abandonForTesting() {
        Glibc.close(lockFD)
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
