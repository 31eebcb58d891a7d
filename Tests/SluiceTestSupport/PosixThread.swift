import Glibc

/// A plain POSIX thread, for tests whose work blocks (sleeps, waits, long native calls) and so must run outside
/// Swift's cooperative pool, where a few such tasks would occupy every worker and run one after another.
public final class PosixThread: @unchecked Sendable {
    // @unchecked: `handle` is written by pthread_create before any other thread sees this object, then only read.
    private var handle = pthread_t()
    private let body: () -> Void

    /// Starts `body` on a new thread at once.
    public init(_ body: @escaping () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &handle, nil,
            { context in
                let thread = Unmanaged<PosixThread>.fromOpaque(context!).takeRetainedValue()
                thread.body()
                return nil
            }, context)
    }

    /// Waits for `body` to return.
    public func join() { pthread_join(handle, nil) }
}
