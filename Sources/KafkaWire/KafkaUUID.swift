/// Kafka's 128-bit `uuid` type (topic ids, KIP-516), as two big-endian halves.
public struct KafkaUUID: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero UUID Kafka uses for "no topic id".
    public static let zero = KafkaUUID(high: 0, low: 0)
}
