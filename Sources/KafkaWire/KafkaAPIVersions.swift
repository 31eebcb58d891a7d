/// The API version table a broker advertises in its ApiVersions response, derived from the codecs.
///
/// Produce is advertised from v0 although only v3+ is accepted: librdkafka before 2.11.1 keeps compression only
/// when the range includes Produce v0 (KAFKA-18659), and Kafka 4.x does the same (kafka-notes.md §1.1).
public struct KafkaAPIVersions: Hashable, Sendable {
    /// Advertised ranges by API key.
    public private(set) var ranges: [KafkaAPIKey: ClosedRange<Int16>]

    public init(ranges: [KafkaAPIKey: ClosedRange<Int16>]) {
        self.ranges = ranges
    }

    /// Every API with codecs, at its codec range (Produce from v0).
    public static let `default`: KafkaAPIVersions = {
        var ranges: [KafkaAPIKey: ClosedRange<Int16>] = [:]
        for key in KafkaAPIKey.allCases { ranges[key] = key.versions }
        ranges[.produce] = 0...ProduceRequest.versions.upperBound
        return KafkaAPIVersions(ranges: ranges)
    }()

    /// The same table without `keys` (for APIs the broker does not implement yet).
    public func removing(_ keys: KafkaAPIKey...) -> KafkaAPIVersions {
        var copy = self
        for key in keys { copy.ranges[key] = nil }
        return copy
    }

    /// Whether a request at `version` of `key` is advertised.
    public func supports(_ key: KafkaAPIKey, version: Int16) -> Bool {
        ranges[key]?.contains(version) ?? false
    }

    /// The ApiKeys array of an ApiVersions response, sorted by key.
    public var apiKeys: [ApiVersionsResponse.ApiVersion] {
        ranges.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            ApiVersionsResponse.ApiVersion(
                apiKey: $0.key.rawValue, minVersion: $0.value.lowerBound, maxVersion: $0.value.upperBound)
        }
    }
}
