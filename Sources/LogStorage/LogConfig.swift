/// Per-topic log settings, named and defaulted as Kafka's topic configs are (`TopicConfig`), plus Sluice's
/// durability policy. Built from `key=value` pairs; unknown keys and bad values are `invalidConfig` errors.
public struct LogConfig: Sendable, Equatable {
    public enum CleanupPolicy: String, Sendable {
        case delete
        case compact
        case compactAndDelete = "compact,delete"
    }

    public var segmentBytes: Int64 = 1 << 30
    public var segmentMs: Int64 = 7 * 24 * 3600 * 1000
    public var retentionMs: Int64 = 7 * 24 * 3600 * 1000
    public var retentionBytes: Int64 = -1
    public var cleanupPolicy: CleanupPolicy = .delete
    public var deleteRetentionMs: Int64 = 24 * 3600 * 1000
    public var minCleanableDirtyRatio: Double = 0.5
    public var maxMessageBytes: Int = 1_048_588
    public var indexIntervalBytes: Int = 4096
    public var segmentIndexBytes: Int = 10 << 20
    /// `message.timestamp.type`: CreateTime keeps producers' timestamps, LogAppendTime stamps the broker's.
    public var logAppendTime = false
    public var durability: DurabilityPolicy = .operatingSystem

    public init() {}

    /// Whether the cleaner compacts this log.
    public var compacts: Bool { cleanupPolicy != .delete }
    /// Whether time/size retention deletes old segments.
    public var deletes: Bool { cleanupPolicy != .compact }

    /// The keys `init(overrides:)` accepts.
    public static let knownKeys: [String] = [
        "segment.bytes", "segment.ms", "retention.ms", "retention.bytes", "cleanup.policy", "delete.retention.ms",
        "min.cleanable.dirty.ratio", "max.message.bytes", "index.interval.bytes", "segment.index.bytes",
        "message.timestamp.type", "flush.messages", "flush.ms", "flush.bytes",
    ]

    /// Applies `overrides` (Kafka topic-config keys) on top of `base`.
    public init(overrides: [String: String], base: LogConfig = LogConfig()) throws {
        self = base
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    /// The settings that differ from Kafka's defaults, as topic-config pairs (what `topics describe` shows).
    public func overrides(comparedTo base: LogConfig = LogConfig()) -> [String: String] {
        var result: [String: String] = [:]
        for key in Self.knownKeys where value(of: key) != base.value(of: key) {
            result[key] = value(of: key)
        }
        return result
    }

    // MARK: - Keys

    mutating func set(_ key: String, _ value: String) throws {
        switch key {
        case "segment.bytes": segmentBytes = try Self.int(key, value, min: 14)
        case "segment.ms": segmentMs = try Self.int(key, value, min: 1)
        case "retention.ms": retentionMs = try Self.int(key, value, min: -1)
        case "retention.bytes": retentionBytes = try Self.int(key, value, min: -1)
        case "delete.retention.ms": deleteRetentionMs = try Self.int(key, value, min: 0)
        case "max.message.bytes": maxMessageBytes = Int(try Self.int(key, value, min: 0, max: Int64(Int32.max)))
        case "index.interval.bytes": indexIntervalBytes = Int(try Self.int(key, value, min: 0, max: Int64(Int32.max)))
        case "segment.index.bytes": segmentIndexBytes = Int(try Self.int(key, value, min: 8, max: Int64(Int32.max)))
        case "cleanup.policy": cleanupPolicy = try Self.cleanupPolicy(value)
        case "min.cleanable.dirty.ratio":
            guard let ratio = Double(value), ratio >= 0, ratio <= 1 else { throw Self.invalid(key, value, "a number in [0, 1]") }
            minCleanableDirtyRatio = ratio
        case "message.timestamp.type":
            guard value == "CreateTime" || value == "LogAppendTime" else { throw Self.invalid(key, value, "CreateTime or LogAppendTime") }
            logAppendTime = value == "LogAppendTime"
        case "flush.messages", "flush.ms", "flush.bytes":
            durability = try durability.setting(key, try Self.int(key, value, min: 1))
        default:
            throw LogError(.invalidConfig, "unknown topic config '\(key)'; known: \(Self.knownKeys.joined(separator: ", "))")
        }
    }

    public func value(of key: String) -> String {
        switch key {
        case "segment.bytes": String(segmentBytes)
        case "segment.ms": String(segmentMs)
        case "retention.ms": String(retentionMs)
        case "retention.bytes": String(retentionBytes)
        case "delete.retention.ms": String(deleteRetentionMs)
        case "max.message.bytes": String(maxMessageBytes)
        case "index.interval.bytes": String(indexIntervalBytes)
        case "segment.index.bytes": String(segmentIndexBytes)
        case "cleanup.policy": cleanupPolicy.rawValue
        case "min.cleanable.dirty.ratio": String(minCleanableDirtyRatio)
        case "message.timestamp.type": logAppendTime ? "LogAppendTime" : "CreateTime"
        default: durability.value(of: key)
        }
    }

    private static func int(_ key: String, _ value: String, min: Int64, max: Int64 = .max) throws -> Int64 {
        guard let number = Int64(value), number >= min, number <= max else {
            throw invalid(key, value, "an integer in [\(min), \(max)]")
        }
        return number
    }

    private static func cleanupPolicy(_ value: String) throws -> CleanupPolicy {
        let parts = Set(value.split(separator: ",").map { $0.trimmingCharacters(in: " ") })
        switch parts {
        case ["delete"]: return .delete
        case ["compact"]: return .compact
        case ["compact", "delete"]: return .compactAndDelete
        default: throw invalid("cleanup.policy", value, "delete, compact, or compact,delete")
        }
    }

    private static func invalid(_ key: String, _ value: String, _ expected: String) -> LogError {
        LogError(.invalidConfig, "invalid value '\(value)' for topic config '\(key)': expected \(expected)")
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}
