/// The ReadyForQuery status byte: idle ('I'), in a transaction block ('T'), in a failed transaction
/// block ('E'). PostgreSQL protocol docs, "ReadyForQuery (B)".
public enum PGTransactionStatus: UInt8, Sendable, Hashable {
    case idle = 0x49
    case inTransaction = 0x54
    case failed = 0x45
}
