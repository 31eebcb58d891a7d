/// A named keyspace of a state store: one per operator store (aggregate state, join buffers, window panes) plus one
/// for a task's committed input offsets, so that state and offsets commit in one atomic write. Valid only for the
/// store that handed it out.
public struct ColumnFamily: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// Position in the owning store's table of families.
    public let index: Int

    public init(name: String, index: Int) {
        self.name = name
        self.index = index
    }

    public var description: String { name }
}
