/// Operator state of streaming queries: ordered key/value column families with atomic multi-family writes,
/// ordered scans and on-disk checkpoints. `RocksDBStateStore` is the real one; `MemoryStateStore` is for tests and
/// for small transient state. Calls are per batch of rows (a write batch, a scan), never per record on a hot path.
/// Implementations are thread-safe.
public protocol StateStore: AnyObject, Sendable {
    /// The column family called `name`, created if missing.
    func columnFamily(_ name: String) throws -> ColumnFamily
    /// Drops a column family and its data (a terminated query's stores).
    func dropColumnFamily(_ name: String) throws
    /// Names of the column families that hold data, in creation order (RocksDB's "default" excluded).
    var columnFamilyNames: [String] { get }
    /// The value stored under `key`, or nil.
    func get(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]?
    /// `get`, answered from a cache of recent point reads where the store has one: for reads that repeat, such as
    /// pull queries by key. Always as current as `get`.
    func cachedGet(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]?
    /// Applies every operation of `batch` atomically; with `sync`, durably (fsync of the write-ahead log).
    func write(_ batch: StateWriteBatch, sync: Bool) throws
    /// Visits keys in ascending byte order from `lowerBound` (inclusive) to `upperBound` (exclusive) until `body`
    /// returns false. Keys and values are valid only during the call.
    func scan(
        _ family: ColumnFamily, from lowerBound: [UInt8]?, to upperBound: [UInt8]?,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws
    /// Writes a consistent copy of the whole store to `directory` (hard links where possible).
    func checkpoint(to directory: String) throws
}

extension StateStore {
    public func get(_ key: [UInt8], in family: ColumnFamily) throws -> [UInt8]? {
        try key.withUnsafeBytes { try get($0, in: family) }
    }

    public func cachedGet(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]? {
        try get(key, in: family)
    }

    public func cachedGet(_ key: [UInt8], in family: ColumnFamily) throws -> [UInt8]? {
        try key.withUnsafeBytes { try cachedGet($0, in: family) }
    }

    /// Every pair of a family, in key order (tests and small tables).
    public func all(_ family: ColumnFamily) throws -> [(key: [UInt8], value: [UInt8])] {
        var result: [(key: [UInt8], value: [UInt8])] = []
        try scan(family, from: nil, to: nil) { key, value in
            result.append((Array(key), Array(value)))
            return true
        }
        return result
    }
}
