import Synchronization
import Glibc


/// The source of time. Injected everywhere time matters (segment age, retention, timestamps of appends),
/// so that tests and simulations control it.
public protocol Clock: Sendable {
    /// Wall-clock time in milliseconds since the Unix epoch.
    func milliseconds() -> Timestamp
    /// A monotonic reading in nanoseconds, for measuring durations.
    func monotonicNanoseconds() -> UInt64
}

/// The operating system's clocks.
public struct SystemClock: Clock {
    public init() {}

    public func milliseconds() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// A clock that moves only when told to. Thread-safe.
public final class ManualClock: Clock {
    private let nanos: Mutex<UInt64>

    public init(milliseconds: Timestamp = 1_700_000_000_000) {
        nanos = Mutex(UInt64(milliseconds) * 1_000_000)
    }

    public func milliseconds() -> Timestamp { Int64(nanos.withLock { $0 } / 1_000_000) }
    public func monotonicNanoseconds() -> UInt64 { nanos.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(milliseconds: Int64) {
        nanos.withLock { $0 += UInt64(milliseconds) * 1_000_000 }
    }
}
