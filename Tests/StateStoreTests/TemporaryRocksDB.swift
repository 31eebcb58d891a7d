import SluiceTestSupport
import StateStore

/// Runs `body` with a RocksDB store in a fresh temporary directory, which is removed afterwards: the setup most
/// tests of this target share.
func withTemporaryRocksDB<T>(_ body: (RocksDBStateStore) throws -> T) throws -> T {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    return try body(try RocksDBStateStore(path: dir.path + "/state"))
}

/// `withTemporaryRocksDB` for tests that await.
func withTemporaryRocksDB<T>(_ body: (RocksDBStateStore) async throws -> T) async throws -> T {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    return try await body(try RocksDBStateStore(path: dir.path + "/state"))
}
