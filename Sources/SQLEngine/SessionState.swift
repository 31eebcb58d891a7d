/// Per-connection settings: `SET 'auto.offset.reset'='earliest'` and friends, and DEFINE variables.
public struct SessionState: Sendable {
    public var properties: [String: String] = [:]
    public var variables: [String: String] = [:]
    /// ASSERT VALUES reads each topic in order: the next offset per partition.
    public var assertionCursors: [String: [Int32: Int64]] = [:]

    public init() {}

    /// Where push queries start: `earliest` or `latest` (ksqlDB's default).
    public var startsAtEarliest: Bool { properties["auto.offset.reset"]?.lowercased() == "earliest" }
}
