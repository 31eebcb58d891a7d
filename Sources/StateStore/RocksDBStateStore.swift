import CRocksDB
import Glibc
import SluiceCore

/// The `StateStore` on RocksDB: one RocksDB instance per directory, one column family per operator store, a
/// write-ahead log so that an acknowledged write batch survives a process crash (and a power failure with `sync`),
/// bloom filters and an LRU block cache sized for point lookups (pull queries, joins), and a row cache (`RowCache`)
/// in front of it for `cachedGet`. The only module that touches the RocksDB C API.
///
/// Thread-safe: RocksDB's DB object is; the table of column-family handles is guarded by a lock. A read or write holds
/// a reference to the `FamilyHandle` it uses, so dropping a family while another thread reads it destroys the native
/// handle only when that read is done (never under it).
public final class RocksDBStateStore: StateStore, @unchecked Sendable {
    // @unchecked: the RocksDB handles are thread-safe C objects, created in init and destroyed in deinit (family
    // handles when their last user lets go); the mutable family table is only touched with `lock` held.
    public let path: String
    private let db: OpaquePointer
    private let options: OpaquePointer
    private let tableOptions: OpaquePointer
    private let cache: OpaquePointer
    private let filter: OpaquePointer
    private let writeOptions: OpaquePointer
    private let syncWriteOptions: OpaquePointer
    private let readOptions: OpaquePointer
    private let lock = Lock()
    private var handles: [FamilyHandle?] = []
    private var names: [String] = []
    private let rowCache: RowCache
    /// Tests only: runs after a read, scan or write has looked its family handles up and before it calls RocksDB, so
    /// that a test can drop the family exactly there.
    var testHookBeforeNativeCall: (() -> Void)?

    /// Opens (creating if needed) the store in `path`, with every column family it already has. `rowCacheBytes`
    /// bounds the cache of point reads that `cachedGet` uses (below 64 KiB: none).
    public init(path: String, blockCacheBytes: Int = 64 << 20, rowCacheBytes: Int = 32 << 20) throws {
        self.path = path
        rowCache = RowCache(capacity: rowCacheBytes)
        options = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(options, 1)
        rocksdb_options_set_create_missing_column_families(options, 1)
        rocksdb_options_increase_parallelism(options, 2)
        rocksdb_options_set_compression(options, Int32(rocksdb_lz4_compression))
        tableOptions = rocksdb_block_based_options_create()
        cache = rocksdb_cache_create_lru(blockCacheBytes)
        filter = rocksdb_filterpolicy_create_bloom(10)
        rocksdb_block_based_options_set_block_cache(tableOptions, cache)
        rocksdb_block_based_options_set_filter_policy(tableOptions, filter)
        rocksdb_options_set_block_based_table_factory(options, tableOptions)
        writeOptions = rocksdb_writeoptions_create()
        syncWriteOptions = rocksdb_writeoptions_create()
        rocksdb_writeoptions_set_sync(syncWriteOptions, 1)
        // A batch whose family is dropped between the handle lookup and the write (a DROP racing its writer) loses
        // that family's part, which is gone anyway. Without this RocksDB fails the write after logging it, records a
        // fatal memtable error, and refuses every later write until the store is reopened.
        rocksdb_writeoptions_set_ignore_missing_column_families(writeOptions, 1)
        rocksdb_writeoptions_set_ignore_missing_column_families(syncWriteOptions, 1)
        readOptions = rocksdb_readoptions_create()

        let existing = Self.listColumnFamilies(path: path, options: options)
        var cfNames = existing.isEmpty ? ["default"] : existing
        if !cfNames.contains("default") { cfNames.insert("default", at: 0) }
        var cNames = cfNames.map { UnsafePointer(strdup($0)) }
        defer { cNames.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        var cfOptions = [OpaquePointer?](repeating: options, count: cfNames.count)
        var cfHandles = [OpaquePointer?](repeating: nil, count: cfNames.count)
        var error: UnsafeMutablePointer<CChar>?
        let dbOptions = options
        let opened = cNames.withUnsafeMutableBufferPointer { namesBuffer in
            cfOptions.withUnsafeMutableBufferPointer { optionsBuffer in
                rocksdb_open_column_families(dbOptions, path, Int32(cfNames.count), namesBuffer.baseAddress,
                                             optionsBuffer.baseAddress, &cfHandles, &error)
            }
        }
        if let message = Self.take(error) {
            Self.destroyOptions(options, tableOptions, cache, filter, writeOptions, syncWriteOptions, readOptions)
            throw StateStoreError("open \(path)", message)
        }
        db = opened!
        handles = cfHandles.map { $0.map(FamilyHandle.init) }
        names = cfNames
    }

    deinit {
        // Nothing else can hold a family handle now (every user runs inside a method of this store), so clearing the
        // table destroys them all, as RocksDB requires, before the database closes.
        handles.removeAll()
        rocksdb_close(db)
        Self.destroyOptions(options, tableOptions, cache, filter, writeOptions, syncWriteOptions, readOptions)
    }

    private static func destroyOptions(
        _ options: OpaquePointer, _ table: OpaquePointer, _ cache: OpaquePointer, _ filter: OpaquePointer,
        _ write: OpaquePointer, _ syncWrite: OpaquePointer, _ read: OpaquePointer
    ) {
        rocksdb_writeoptions_destroy(write)
        rocksdb_writeoptions_destroy(syncWrite)
        rocksdb_readoptions_destroy(read)
        rocksdb_options_destroy(options)
        rocksdb_block_based_options_destroy(table)  // also releases its reference to the filter policy
        rocksdb_cache_destroy(cache)
        _ = filter
    }

    private static func listColumnFamilies(path: String, options: OpaquePointer) -> [String] {
        var count = 0
        var error: UnsafeMutablePointer<CChar>?
        guard let list = rocksdb_list_column_families(options, path, &count, &error) else {
            _ = take(error)  // a new store has none yet
            return []
        }
        defer { rocksdb_list_column_families_destroy(list, count) }
        return (0..<count).compactMap { list[$0].map { String(cString: $0) } }
    }

    /// RocksDB's error string, freed.
    private static func take(_ error: UnsafeMutablePointer<CChar>?) -> String? {
        guard let error else { return nil }
        defer { rocksdb_free(error) }
        return String(cString: error)
    }

    // MARK: - Column families

    public func columnFamily(_ name: String) throws -> ColumnFamily {
        try lock.withLock {
            // A name dropped and created again has several entries; only the last can be live.
            if let i = names.lastIndex(of: name), handles[i] != nil { return ColumnFamily(name: name, index: i) }
            var error: UnsafeMutablePointer<CChar>?
            let handle = rocksdb_create_column_family(db, options, name, &error)
            if let message = Self.take(error) { throw StateStoreError("create column family \(name)", message) }
            names.append(name)
            handles.append(handle.map(FamilyHandle.init))
            return ColumnFamily(name: name, index: names.count - 1)
        }
    }

    public func dropColumnFamily(_ name: String) throws {
        try lock.withLock {
            guard let i = names.lastIndex(of: name), let handle = handles[i], name != "default" else { return }
            var error: UnsafeMutablePointer<CChar>?
            rocksdb_drop_column_family(db, handle.pointer, &error)
            if let message = Self.take(error) { throw StateStoreError("drop column family \(name)", message) }
            handles[i] = nil  // the native handle goes with the last reader or writer still using it
            rowCache.invalidate(family: i)
        }
    }

    public var columnFamilyNames: [String] {
        lock.withLock { names.enumerated().filter { $0.element != "default" && handles[$0.offset] != nil }.map(\.element) }
    }

    private func familyHandle(_ family: ColumnFamily) throws -> FamilyHandle {
        let handle = lock.withLock { family.index < handles.count && names[family.index] == family.name ? handles[family.index] : nil }
        guard let handle else { throw StateStoreError("use column family \(family.name)", "it was dropped or belongs to another store") }
        return handle
    }

    // MARK: - Reads and writes

    public func get(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]? {
        let handle = try familyHandle(family)
        defer { withExtendedLifetime(handle) {} }
        testHookBeforeNativeCall?()
        var error: UnsafeMutablePointer<CChar>?
        let slice = rocksdb_get_pinned_cf(db, readOptions, handle.pointer, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count, &error)
        if let message = Self.take(error) { throw StateStoreError("get", message) }
        guard let slice else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var length = 0
        guard let value = rocksdb_pinnableslice_value(slice, &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// `get` through the row cache. `family` must come from this store's `columnFamily` (as for `get`, which checks
    /// it; a hit does not).
    public func cachedGet(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]? {
        guard rowCache.isEnabled else { return try get(key, in: family) }
        switch rowCache.lookup(family: family.index, key: key) {
        case .hit(let value):
            return value
        case .miss(let generation):
            let value = try get(key, in: family)
            rowCache.insert(family: family.index, key: key, value: value, generation: generation)
            return value
        }
    }

    /// Entries in the row cache, and its hits and misses so far (tests).
    var rowCacheCount: Int { rowCache.count }
    var rowCacheStatistics: (hits: Int, misses: Int) { rowCache.statistics }

    public func write(_ batch: StateWriteBatch, sync: Bool) throws {
        guard !batch.isEmpty else { return }
        // The copy of the table keeps every handle the batch names alive until the write is done.
        let families = lock.withLock { handles }
        defer { withExtendedLifetime(families) {} }
        testHookBeforeNativeCall?()
        let native = rocksdb_writebatch_create()
        defer { rocksdb_writebatch_destroy(native) }
        try batch.forEachInKeyOrder { operation, family, key, value in
            guard family < families.count, let cf = families[family]?.pointer else {
                throw StateStoreError("write", "column family #\(family) was dropped")
            }
            let k = key.baseAddress?.assumingMemoryBound(to: CChar.self)
            switch operation {
            case .put: rocksdb_writebatch_put_cf(native, cf, k, key.count, value.baseAddress?.assumingMemoryBound(to: CChar.self), value.count)
            case .delete: rocksdb_writebatch_delete_cf(native, cf, k, key.count)
            case .deleteRange:
                rocksdb_writebatch_delete_range_cf(native, cf, k, key.count, value.baseAddress?.assumingMemoryBound(to: CChar.self), value.count)
            }
        }
        // The batch's keys leave the row cache right before RocksDB applies it, and none of its families is cached
        // into until it is applied (or failed).
        if rowCache.isEnabled { rowCache.beginWrite(batch) }
        defer { if rowCache.isEnabled { rowCache.endWrite(batch) } }
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_write(db, sync ? syncWriteOptions : writeOptions, native, &error)
        if let message = Self.take(error) { throw StateStoreError("write", message) }
    }

    public func scan(
        _ family: ColumnFamily, from lowerBound: [UInt8]?, to upperBound: [UInt8]?,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let handle = try familyHandle(family)
        defer { withExtendedLifetime(handle) {} }  // declared first, so it outlives the iterator
        testHookBeforeNativeCall?()
        let iterator = rocksdb_create_iterator_cf(db, readOptions, handle.pointer)!
        defer { rocksdb_iter_destroy(iterator) }
        if let lowerBound {
            lowerBound.withUnsafeBytes { rocksdb_iter_seek(iterator, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count) }
        } else {
            rocksdb_iter_seek_to_first(iterator)
        }
        while rocksdb_iter_valid(iterator) != 0 {
            var keyLength = 0
            var valueLength = 0
            let key = UnsafeRawBufferPointer(start: rocksdb_iter_key(iterator, &keyLength), count: keyLength)
            if let upperBound, !key.lexicographicallyPrecedes(upperBound) { break }
            let value = UnsafeRawBufferPointer(start: rocksdb_iter_value(iterator, &valueLength), count: valueLength)
            guard try body(key, value) else { break }
            rocksdb_iter_next(iterator)
        }
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_iter_get_error(iterator, &error)
        if let message = Self.take(error) { throw StateStoreError("scan", message) }
    }

    public func checkpoint(to directory: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard let checkpoint = rocksdb_checkpoint_object_create(db, &error) else {
            throw StateStoreError("checkpoint", Self.take(error) ?? "cannot create a checkpoint object")
        }
        defer { rocksdb_checkpoint_object_destroy(checkpoint) }
        rocksdb_checkpoint_create(checkpoint, directory, 0, &error)
        if let message = Self.take(error) { throw StateStoreError("checkpoint to \(directory)", message) }
    }
}

/// One native column-family handle, destroyed when the last reference goes: the store's table holds one while the
/// family exists, and each read, write or scan holds one while it runs. Without this, a `dropColumnFamily` racing a
/// `get` would destroy the handle under RocksDB's feet. The last one to let go of a dropped family's handle also has
/// RocksDB delete its files (usually the dropping thread; a reader or writer only when it outlasted the drop).
private final class FamilyHandle: @unchecked Sendable {
    // @unchecked: an immutable pointer to a thread-safe RocksDB object.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { rocksdb_column_family_handle_destroy(pointer) }
}
