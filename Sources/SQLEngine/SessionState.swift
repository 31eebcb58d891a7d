/// Per-connection settings: `SET 'auto.offset.reset'='earliest'` and friends, and DEFINE variables.
public struct SessionState: Sendable {
    public var properties: [String: String] = [:]
    public var variables: [String: String] = [:]
    /// ASSERT VALUES reads each topic in order: the next offset per partition.
    public var assertionCursors: [String: [Int32: Int64]] = [:]

    public init() {}

    /// The session properties the engine reads, with their defaults: what `SET 'name'='value'` changes and
    /// `SHOW PROPERTIES` lists first. `auto.offset.reset` (ksqlDB's name and default) is where push queries start.
    public static let knownProperties: [(name: String, defaultValue: String)] = [("auto.offset.reset", "latest")]

    /// Where push queries start: `earliest` or `latest` (ksqlDB's default).
    public var startsAtEarliest: Bool { properties["auto.offset.reset"]?.lowercased() == "earliest" }
}
