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

    /// Announces an append, waking threads in `wait` and tasks in `waitAsync`.
    public func signal() {
        pthread_mutex_lock(mutex)
        sequence &+= 1
        pthread_cond_broadcast(condition)
        let woken = asyncWaiters
        if !woken.isEmpty { asyncWaiters = [] }
        pthread_mutex_unlock(mutex)
        for waiter in woken { waiter.finish() }
    }

    /// Tasks suspended in `waitAsync`, woken by the next `signal`.
    private var asyncWaiters: [AsyncWaiter] = []

    /// One suspended task: resumed exactly once, by a signal or by its timeout, whichever comes first.
    final class AsyncWaiter: @unchecked Sendable {
        // @unchecked: `continuation` and `done` are only touched with `lock` held.
        private let lock = Lock()
        private var continuation: CheckedContinuation<Void, Never>?
        private var done = false

        /// Parks `continuation`, or resumes it at once when the wait already finished.
        func park(_ continuation: CheckedContinuation<Void, Never>) {
            let resumeNow = lock.withLock {
                if done { return true }
                self.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }

        func finish() {
            let parked: CheckedContinuation<Void, Never>? = lock.withLock {
                guard !done else { return nil }
                done = true
                defer { continuation = nil }
                return continuation
            }
            parked?.resume()
        }
    }

    /// Suspends the task, without holding a thread, until the sequence moves past `seen` or `timeoutNanoseconds`
    /// pass (a Kafka fetch's long poll).
    public func waitAsync(after seen: UInt64, timeoutNanoseconds: UInt64) async {
        let waiter = AsyncWaiter()
        pthread_mutex_lock(mutex)
        let moved = sequence != seen
        if !moved { asyncWaiters.append(waiter) }
        pthread_mutex_unlock(mutex)
        guard !moved else { return }
        let timer = Task {
            try? await Task.sleep(nanoseconds: timeoutNanoseconds)
            waiter.finish()
        }
        await withCheckedContinuation { waiter.park($0) }
        timer.cancel()
        // A timed-out waiter may still be listed: drop it so the list only holds live waits.
        pthread_mutex_lock(mutex)
        asyncWaiters.removeAll { $0 === waiter }
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
