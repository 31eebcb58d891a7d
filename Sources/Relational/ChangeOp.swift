/// What a row in a changelog means for the relation it belongs to (the vocabulary of Flink's RowKind and
/// RisingWave's Op).
///
/// A stream carries only inserts. A table's changelog carries an insert for a new key, an update as an
/// `updateBefore` (the old row) immediately followed by an `updateAfter` (the new row), and a delete
/// (written to Kafka as a tombstone: the key with a null value).
public enum ChangeOp: UInt8, Sendable, Hashable, Codable, CaseIterable {
    case insert
    case delete
    case updateBefore
    case updateAfter

    /// Whether the row is added to the relation (insert, updateAfter) rather than removed.
    public var isAddition: Bool { self == .insert || self == .updateAfter }

    /// The op that undoes this one, for retraction-based operators.
    public var inverse: ChangeOp {
        switch self {
        case .insert: .delete
        case .delete: .insert
        case .updateBefore: .updateAfter
        case .updateAfter: .updateBefore
        }
    }
}
