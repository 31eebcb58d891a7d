/// When appended bytes are forced to disk (fdatasync), and so what an acknowledged append promises.
///
/// - `everyBatch`: every append returns only after its bytes are on disk; nothing acknowledged is lost even on
///   power failure.
/// - `interval`: fsync once `messages` records or `bytes` bytes are unflushed, or `milliseconds` after the first
///   unflushed append (whichever comes first; nil disables that trigger). An append is acknowledged once written to
///   the page cache: it survives a process crash, and a power failure loses at most the interval.
/// - `operatingSystem`: the kernel decides (Kafka's default, where replication is what protects data).
public enum DurabilityPolicy: Sendable, Equatable {
    case everyBatch
    case interval(messages: Int64?, bytes: Int64?, milliseconds: Int64?)
    case operatingSystem

    func setting(_ key: String, _ value: Int64) throws -> DurabilityPolicy {
        var (messages, bytes, milliseconds): (Int64?, Int64?, Int64?) = (nil, nil, nil)
        if case .interval(let m, let b, let ms) = self { (messages, bytes, milliseconds) = (m, b, ms) }
        switch key {
        case "flush.messages":
            if value == 1 { return .everyBatch }
            messages = value
        case "flush.bytes": bytes = value
        default: milliseconds = value
        }
        return .interval(messages: messages, bytes: bytes, milliseconds: milliseconds)
    }

    func value(of key: String) -> String {
        let unset = String(Int64.max)
        switch self {
        case .everyBatch: return key == "flush.messages" ? "1" : unset
        case .operatingSystem: return unset
        case .interval(let messages, let bytes, let milliseconds):
            let value = key == "flush.messages" ? messages : key == "flush.bytes" ? bytes : milliseconds
            return value.map(String.init) ?? unset
        }
    }
}
