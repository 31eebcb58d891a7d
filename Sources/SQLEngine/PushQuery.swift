import Glibc
import Relational
import SluiceCore
import Streams

/// A running push query as its client sees it: the result columns, and rows handed over in batches through a
/// bounded buffer. When the client falls behind, the buffer fills and the query's tasks pause (backpressure); when
/// the client closes it, or LIMIT is reached, the tasks stop. Thread-safe.
public final class PushQuery: @unchecked Sendable {
    // @unchecked: the buffer and flags are only touched with `mutex` held; the condition variable pairs with it.
    public let columns: [Column]
    public let id: String
    /// The LIMIT the query ends at, if any.
    public let limit: Int64?
    private let mutex = Lock()
    private let signal = AppendSignal()
    private var buffer: [[[Value]]] = []
    private var buffered = 0
    private var delivered: Int64 = 0
    private var closed = false
    private var done = false
    private var failure: EngineError?
    private let capacity: Int
    private let onClose: @Sendable () -> Void
    /// Called when the consumer takes rows from a full buffer: the tasks, held back by `hasRoom`, may go on.
    private let onRoom: @Sendable () -> Void

    init(
        id: String, columns: [Column], limit: Int64?, capacity: Int = 10_000, onClose: @escaping @Sendable () -> Void,
        onRoom: @escaping @Sendable () -> Void = {}
    ) {
        self.id = id
        self.columns = columns
        self.limit = limit
        self.capacity = capacity
        self.onClose = onClose
        self.onRoom = onRoom
    }

    /// Called by the query's tasks: false once the consumer is gone or the limit is reached (the task stops).
    func deliver(_ batch: StreamBatch) -> Bool {
        let (accepted, added) = mutex.withLock { () -> (Bool, Bool) in
            guard !closed && !done else { return (false, false) }
            // Rows may end in pseudo columns (a windowed result's bounds) that the client does not see.
            let width = columns.count
            // A client sees the rows a query adds; deletes (tombstones, rows leaving a filtered table) are not rows.
            var rows = (0..<batch.count).filter { batch.ops[$0].isAddition }.map { Array(batch.row($0).prefix(width)) }
            if let limit, delivered + Int64(rows.count) >= limit {
                rows = Array(rows.prefix(Int(limit - delivered)))
                done = true
            }
            // A batch of deletes alone adds nothing: waking a reader for it would hand it an empty batch, which
            // means "nothing yet" (next(timeoutMilliseconds:) timed out).
            guard !rows.isEmpty || done else { return (true, false) }
            delivered += Int64(rows.count)
            buffer.append(rows)
            buffered += rows.count
            return (!done, true)
        }
        if added { signal.signal() }
        return accepted
    }

    /// Whether the tasks may produce more (the buffer has room).
    var hasRoom: Bool { mutex.withLock { buffered < capacity && !closed } }

    func fail(_ error: EngineError) {
        mutex.withLock { failure = error; done = true }
        signal.signal()
    }

    func finish() {
        mutex.withLock { done = true }
        signal.signal()
    }

    /// Rows available now, waiting up to `timeoutMilliseconds` for some. nil once the query has ended and every row
    /// was taken; an empty array when the wait timed out.
    public func next(timeoutMilliseconds: Int) throws(EngineError) -> [[Value]]? {
        let seen = signal.current
        guard let rows = try poll() else { return nil }
        if !rows.isEmpty { return rows }
        signal.wait(after: seen, timeoutMilliseconds: timeoutMilliseconds)
        return try poll()
    }

    /// Rows available now, without waiting: nil once the query has ended and every row was taken, an empty array
    /// when none is buffered yet.
    public func poll() throws(EngineError) -> [[Value]]? {
        if let rows = try take() { return rows }
        return mutex.withLock { done && buffer.isEmpty } ? nil : []
    }

    private func take() throws(EngineError) -> [[Value]]? {
        let (rows, error, wasFull) = mutex.withLock { () -> ([[Value]]?, EngineError?, Bool) in
            if buffer.isEmpty { return (nil, failure, false) }
            let rows = buffer.flatMap { $0 }
            let wasFull = buffered >= capacity
            buffer.removeAll()
            buffered = 0
            return (rows, nil, wasFull)
        }
        if let error { throw error }
        if wasFull { onRoom() }
        return rows
    }

    /// Whether LIMIT was reached or the query failed or was closed.
    public var isDone: Bool { mutex.withLock { done || closed } }

    /// Stops the query (client cancel or disconnect).
    public func close() {
        let first = mutex.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        signal.signal()
        if first { onClose() }
    }
}
