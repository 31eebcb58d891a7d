import Glibc

/// Wakes threads waiting for new data: a counter that writers bump after each append and readers wait on with a
/// timeout (Kafka's long-poll fetch, streaming tasks, push queries). Thread-safe.
public final class AppendSignal: @unchecked Sendable {
    // @unchecked: `sequence` is only touched with `mutex` held; the mutex and condition live in heap memory that
    // never moves, allocated here and freed in deinit.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)
    private var sequence: UInt64 = 0

    public init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// The current sequence; pass it to `wait(after:timeoutMilliseconds:)` to sleep until something newer.
    public var current: UInt64 {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return sequence
    }

    /// Announces an append.
    public func signal() {
        pthread_mutex_lock(mutex)
        sequence &+= 1
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until the sequence moves past `seen` or the timeout passes; returns the sequence then.
    @discardableResult
    public func wait(after seen: UInt64, timeoutMilliseconds: Int) -> UInt64 {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let nanos = Int(deadline.tv_nsec) + (timeoutMilliseconds % 1000) * 1_000_000
        deadline.tv_sec += timeoutMilliseconds / 1000 + nanos / 1_000_000_000
        deadline.tv_nsec = nanos % 1_000_000_000
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while sequence == seen {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        return sequence
    }
}
