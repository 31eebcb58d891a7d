import SluiceCore

/// An in-memory `StateStore` with the same semantics as the RocksDB one (atomic batches, byte-ordered scans), for
/// tests and transient state. Thread-safe (one lock). Scans sort the keys of the family: fine for small state only.
public final class MemoryStateStore: StateStore, @unchecked Sendable {
    // @unchecked: `families` and `names` are only touched with `lock` held.
    private let lock = Lock()
    private var families: [[[UInt8]: [UInt8]]] = []
    private var names: [String] = []
    private var dropped: Set<Int> = []

    public init() {}

    public func columnFamily(_ name: String) throws -> ColumnFamily {
        lock.withLock {
            // A name dropped and created again has several entries; only the last can be live.
            if let i = names.lastIndex(of: name), !dropped.contains(i) { return ColumnFamily(name: name, index: i) }
            names.append(name)
            families.append([:])
            return ColumnFamily(name: name, index: names.count - 1)
        }
    }

    public func dropColumnFamily(_ name: String) throws {
        lock.withLock {
            guard let i = names.lastIndex(of: name), !dropped.contains(i) else { return }
            families[i] = [:]
            dropped.insert(i)
        }
    }

    public var columnFamilyNames: [String] {
        lock.withLock { names.enumerated().filter { !dropped.contains($0.offset) }.map(\.element) }
    }

    public func get(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) throws -> [UInt8]? {
        lock.withLock { families[family.index][Array(key)] }
    }

    public func write(_ batch: StateWriteBatch, sync: Bool) throws {
        lock.withLock {
            // Range deletes first: they delete what earlier batches wrote.
            batch.forEach { operation, family, key, value in
                guard operation == .deleteRange else { return }
                families[family] = families[family].filter { k, _ in k.lexicographicallyPrecedes(key) || !k.lexicographicallyPrecedes(value) }
            }
            batch.forEach { operation, family, key, value in
                switch operation {
                case .put: families[family][Array(key)] = Array(value)
                case .delete: families[family][Array(key)] = nil
                case .deleteRange: break
                }
            }
        }
    }

    public func scan(
        _ family: ColumnFamily, from lowerBound: [UInt8]?, to upperBound: [UInt8]?,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let pairs = lock.withLock { families[family.index].sorted { $0.key.lexicographicallyPrecedes($1.key) } }
        for (key, value) in pairs {
            if let lowerBound, key.lexicographicallyPrecedes(lowerBound) { continue }
            if let upperBound, !key.lexicographicallyPrecedes(upperBound) { break }
            let goOn = try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try body(k, v) } }
            if !goOn { break }
        }
    }

    public func checkpoint(to directory: String) throws {
        throw StateStoreError("checkpoint", "an in-memory store has nothing to write to \(directory)")
    }
}
