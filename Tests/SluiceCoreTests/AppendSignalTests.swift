import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The append signal's async wait, which a Kafka fetch's long poll suspends on: woken by an append on another
/// thread, or by its timeout, and never left waiting when the append came first.
@Suite(.timeLimit(.minutes(1))) struct AppendSignalTests {
    @Test func anAppendWakesASuspendedTask() async throws {
        let signal = AppendSignal()
        let seen = signal.current
        let appender = PosixThread { usleep(50_000); signal.signal() }
        // The timeout is far beyond the suite's time limit: only the signal can end this wait in time.
        await signal.waitAsync(after: seen, timeoutNanoseconds: 3_600_000_000_000)
        #expect(signal.current == seen + 1)
        appender.join()
    }

    @Test func theTimeoutEndsAWaitWithoutAppends() async {
        let signal = AppendSignal()
        let seen = signal.current
        await signal.waitAsync(after: seen, timeoutNanoseconds: 10_000_000)
        #expect(signal.current == seen)
        // A later signal still works: the timed-out waiter was dropped, not resumed twice.
        signal.signal()
        await signal.waitAsync(after: seen, timeoutNanoseconds: 3_600_000_000_000)
        #expect(signal.current == seen + 1)
    }

    @Test func manyWaitersAreAllWoken() async {
        let signal = AppendSignal()
        let seen = signal.current
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { await signal.waitAsync(after: seen, timeoutNanoseconds: 3_600_000_000_000) } }
            group.addTask {
                try? await Task.sleep(nanoseconds: 50_000_000)
                signal.signal()
            }
        }
        #expect(signal.current == seen + 1)
    }
}
