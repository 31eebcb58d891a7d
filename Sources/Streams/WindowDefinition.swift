/// The kind of a windowed key (ksqlDB's WINDOW_TYPE).
public enum WindowType: String, Sendable, Hashable, Codable {
    case tumbling = "TUMBLING"
    case hopping = "HOPPING"
    case session = "SESSION"
}

/// A bound window of an aggregation, in milliseconds, with ksqlDB's defaults filled in (grace 24 h, retention one
/// day or size + grace, whichever is larger).
public struct WindowDefinition: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case tumbling(size: Int64)
        case hopping(size: Int64, advance: Int64)
        case session(gap: Int64)
    }

    public static let defaultGraceMs: Int64 = 24 * 3600 * 1000
    public static let defaultRetentionMs: Int64 = 24 * 3600 * 1000

    public var kind: Kind
    public var graceMs: Int64
    public var retentionMs: Int64
    /// EMIT FINAL: one result per window once it closes (end + grace ≤ stream time), instead of one per change.
    public var emitFinal: Bool

    public init(kind: Kind, graceMs: Int64, retentionMs: Int64, emitFinal: Bool = false) {
        self.kind = kind
        self.graceMs = graceMs
        self.retentionMs = retentionMs
        self.emitFinal = emitFinal
    }

    /// The window size (the gap for sessions), in milliseconds.
    public var sizeMs: Int64 {
        switch kind {
        case .tumbling(let size), .hopping(let size, _): size
        case .session(let gap): gap
        }
    }

    public var type: WindowType {
        switch kind {
        case .tumbling: .tumbling
        case .hopping: .hopping
        case .session: .session
        }
    }

    public var description: String {
        let shape: String
        switch kind {
        case .tumbling(let size): shape = "TUMBLING size=\(size)ms"
        case .hopping(let size, let advance): shape = "HOPPING size=\(size)ms advance=\(advance)ms"
        case .session(let gap): shape = "SESSION gap=\(gap)ms"
        }
        return "\(shape) grace=\(graceMs)ms retention=\(retentionMs)ms" + (emitFinal ? " emit final" : "")
    }
}
