/// `WINDOW TUMBLING (…)`, `WINDOW HOPPING (…)` or `WINDOW SESSION (…)` with optional RETENTION and GRACE PERIOD.
public struct WindowClause: Hashable, Sendable {
    /// The window type and its required durations.
    public enum Kind: Hashable, Sendable {
        case tumbling(size: WindowDuration)
        case hopping(size: WindowDuration, advance: WindowDuration)
        case session(gap: WindowDuration)
    }

    public var kind: Kind
    public var retention: WindowDuration?
    public var grace: WindowDuration?
    public var span: SourceSpan

    public init(
        _ kind: Kind, retention: WindowDuration? = nil, grace: WindowDuration? = nil, span: SourceSpan = .synthetic
    ) {
        self.kind = kind
        self.retention = retention
        self.grace = grace
        self.span = span
    }
}
