import Broker
import Glibc
import SluiceCore

/// One pool of worker threads for the tasks of every query on the node (ksqlDB runs a Kafka Streams app per query;
/// here hundreds of queries share a few threads). Workers step runnable tasks round-robin; when a full round finds
/// no work they sleep on the log's new-data signal, so idle queries cost no CPU. A task is stepped by one worker at
/// a time. Thread-safe.
public final class TaskScheduler: @unchecked Sendable {
    // @unchecked: `entries`, `cursor` and `stopped` are only touched with `lock` held; a task's `running` flag
    // guarantees single-worker stepping.
    final class Entry {
        let task: QueryTask
        let group: String
        /// False while the consumer of a push query has not drained its buffer (backpressure).
        let canStep: @Sendable () -> Bool
        var running = false
        var paused = false
        var removed = false

        init(task: QueryTask, group: String, canStep: @escaping @Sendable () -> Bool) {
            self.task = task
            self.group = group
            self.canStep = canStep
        }
    }

    private let lock = Lock()
    private let client: any LogClient
    private var entries: [Entry] = []
    private var cursor = 0
    private var stopped = false
    private let onFailure: @Sendable (_ group: String, _ error: any Error) -> Void
    private let onFinished: @Sendable (_ group: String) -> Void

    public init(
        workers: Int, client: any LogClient, onFailure: @escaping @Sendable (String, any Error) -> Void = { _, _ in },
        onFinished: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.client = client
        self.onFailure = onFailure
        self.onFinished = onFinished
        for i in 0..<max(1, workers) {
            WorkerThread.start(name: "sluice-worker-\(i)") { [self] in self.work() }
        }
    }

    public func add(_ task: QueryTask, group: String, canStep: @escaping @Sendable () -> Bool = { true }) {
        lock.withLock { entries.append(Entry(task: task, group: group, canStep: canStep)) }
        client.wakeUp()
    }

    /// Stops and forgets a query's tasks; returns once none of them is running.
    public func remove(group: String) {
        while true {
            let busy = lock.withLock { () -> Bool in
                for entry in entries where entry.group == group { entry.removed = true }
                let busy = entries.contains { $0.group == group && $0.running }
                if !busy { entries.removeAll { $0.group == group } }
                return busy
            }
            if !busy { return }
            usleep(1_000)
        }
    }

    public func setPaused(_ paused: Bool, group: String) {
        lock.withLock { for entry in entries where entry.group == group { entry.paused = paused } }
        if !paused { client.wakeUp() }
    }

    public var taskCount: Int { lock.withLock { entries.count } }

    /// Stops the workers, waits for the steps in flight, then flushes every task, so that a clean stop commits
    /// what the queries have processed (their state, output and input offsets) and a restart neither repeats nor
    /// loses a record. A task whose flush fails keeps its last commit; the restart replays from there.
    public func shutdown() {
        lock.withLock { stopped = true }
        client.wakeUp()
        while lock.withLock({ entries.contains { $0.running } }) { usleep(1_000) }
        let tasks = lock.withLock { entries.filter { !$0.removed }.map { ($0.task, $0.group) } }
        for (task, group) in tasks {
            do { try task.flushPending() } catch { onFailure(group, error) }
        }
    }

    // MARK: - Workers

    private func work() {
        while true {
            let sequence = client.dataSequence
            guard let round = lock.withLock({ stopped ? nil : entries.count }) else { return }
            var progressed = false
            for _ in 0..<round {
                guard let entry = claim() else { break }
                progressed = run(entry) || progressed
            }
            if !progressed { _ = client.waitForData(after: sequence, timeoutMilliseconds: 250) }
        }
    }

    /// The next entry in round-robin order that may run, marked running.
    private func claim() -> Entry? {
        lock.withLock {
            if stopped { return nil }
            for _ in 0..<entries.count {
                cursor = (cursor + 1) % max(entries.count, 1)
                let entry = entries[cursor]
                if !entry.running && !entry.paused && !entry.removed && entry.canStep() {
                    entry.running = true
                    return entry
                }
            }
            return nil
        }
    }

    private func run(_ entry: Entry) -> Bool {
        var progressed = false
        var finished = false
        do {
            switch try entry.task.step() {
            case .progressed: progressed = true
            case .idle: break
            case .finished: finished = true
            }
        } catch {
            onFailure(entry.group, error)
            finished = true
        }
        lock.withLock {
            entry.running = false
            if finished { entries.removeAll { $0 === entry } }
        }
        if finished { onFinished(entry.group) }
        return progressed
    }
}
