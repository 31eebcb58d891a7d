import Glibc

/// A mutual-exclusion lock over pthread_mutex_t (like NIOConcurrencyHelpers' NIOLock), for classes whose
/// mutable state is guarded by hand. Unlike `Synchronization.Mutex` it guards no value of its own, so
/// non-Sendable results (segment references, buffers) can leave the critical section.
public final class Lock: @unchecked Sendable {
    // @unchecked: the mutex is heap-allocated once, never moved, and only touched through pthread calls.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
