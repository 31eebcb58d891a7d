/// Per-connection settings: `SET 'auto.offset.reset'='earliest'` and friends, and DEFINE variables.
public struct SessionState: Sendable {
    public var properties: [String: String] = [:]
    public var variables: [String: String] = [:]

    public init() {}

    /// Where push queries start: `earliest` or `latest` (ksqlDB's default).
    public var startsAtEarliest: Bool { properties["auto.offset.reset"]?.lowercased() == "earliest" }
}
