/// `WITHIN n unit` or `WITHIN (before, after)`, then an optional `GRACE PERIOD n unit`.
public struct WithinClause: Hashable, Sendable {
    public var before: WindowDuration
    /// nil for the symmetric form `WITHIN n unit`.
    public var after: WindowDuration?
    public var grace: WindowDuration?

    public init(before: WindowDuration, after: WindowDuration? = nil, grace: WindowDuration? = nil) {
        self.before = before
        self.after = after
        self.grace = grace
    }
}
