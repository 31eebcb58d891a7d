/// A state-store failure: which operation, and the store's own message (RocksDB's status text).
public struct StateStoreError: Error, Sendable, CustomStringConvertible, Equatable {
    public var operation: String
    public var message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "state store \(operation): \(message)" }
}
