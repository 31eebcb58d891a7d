import SluiceCore

/// Maps BackendKeyData (process id, secret key) to live sessions, so a CancelRequest — which arrives on a
/// new connection — finds its target. PostgreSQL protocol docs, "Canceling Requests in Progress".
/// Thread-safe: connections on different event loops register, unregister and cancel concurrently.
public final class PGCancelRegistry: Sendable {
    private struct Entry {
        var secretKey: Int32
        /// Strong: the connection handler unregisters its session when it shuts down, whatever ends the connection.
        /// A weak reference would give every session a side table and make each of its retains and releases take
        /// the runtime's slow path, on every message of every connection.
        var session: any PGSession
    }

    // `Lock` guards `state`; `LockedState` is only touched inside `withLock`.
    private let lock = Lock()
    private nonisolated(unsafe) var state = LockedState()
    private let randomBytes: @Sendable (Int) -> [UInt8]

    private struct LockedState {
        var entries: [Int32: Entry] = [:]
        var nextProcessID: Int32 = 1
    }

    public init(randomBytes: @escaping @Sendable (Int) -> [UInt8] = ConnectionStateMachine.systemRandomBytes) {
        self.randomBytes = randomBytes
    }

    /// Registers `session` and returns its fresh key: a unique process id and a random secret.
    public func register(_ session: any PGSession) -> BackendKeyData { registerCounting(session).key }

    /// Registers `session`; its key, and the sessions registered then, itself included (read under the same lock,
    /// so two connections accepted at once see different counts).
    public func registerCounting(_ session: any PGSession) -> (key: BackendKeyData, count: Int) {
        let secret = randomBytes(4).reduce(Int32(0)) { $0 << 8 | Int32($1) }
        return lock.withLock {
            var processID = state.nextProcessID
            while state.entries[processID] != nil { processID = processID == .max ? 1 : processID + 1 }
            state.nextProcessID = processID == .max ? 1 : processID + 1
            state.entries[processID] = Entry(secretKey: secret, session: session)
            return (BackendKeyData(processID: processID, secretKey: secret), state.entries.count)
        }
    }

    public func unregister(processID: Int32) {
        lock.withLock { _ = state.entries.removeValue(forKey: processID) }
    }

    /// Cancels the session with this key; false (silently, as PostgreSQL does) if none matches.
    @discardableResult
    public func cancel(_ request: CancelRequest) -> Bool {
        let session = lock.withLock { () -> (any PGSession)? in
            guard let entry = state.entries[request.processID], entry.secretKey == request.secretKey else { return nil }
            return entry.session
        }
        session?.cancel()
        return session != nil
    }

    public var count: Int { lock.withLock { state.entries.count } }
}
