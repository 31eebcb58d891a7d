import Glibc

/// Starts an OS thread running `body` (for long-lived workers: the task scheduler, listeners' helpers). Swift
/// concurrency's cooperative pool is not for code that blocks on I/O or condition variables, which workers do.
public enum WorkerThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread. `name` is for the reader of the code (Glibc's module map does not
    /// expose pthread_setname_np).
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }
}
