import Glibc

/// Puts and deletes across column families, applied atomically by `StateStore.write`. Operations are packed into
/// one byte buffer (no allocation per operation), and can be replayed in order with `forEach`: that is how a task
/// mirrors exactly what it committed to its changelog topic.
public struct StateWriteBatch: Sendable {
    public enum Operation: UInt8, Sendable {
        case put = 1
        case delete = 2
        /// Deletes the keys in [key, value) that earlier batches wrote.
        case deleteRange = 3
    }

    private var bytes: [UInt8] = []
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }
    /// Bytes of keys and values held (for sizing commits).
    public var byteCount: Int { bytes.count }

    public mutating func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, in family: ColumnFamily) {
        append(.put, family, key, value)
    }

    public mutating func put(_ key: [UInt8], _ value: [UInt8], in family: ColumnFamily) {
        key.withUnsafeBytes { k in value.withUnsafeBytes { v in append(.put, family, k, v) } }
    }

    public mutating func delete(_ key: UnsafeRawBufferPointer, in family: ColumnFamily) {
        append(.delete, family, key, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    public mutating func delete(_ key: [UInt8], in family: ColumnFamily) {
        key.withUnsafeBytes { append(.delete, family, $0, UnsafeRawBufferPointer(start: nil, count: 0)) }
    }

    /// Deletes every key in [begin, end) of `family` that earlier batches wrote: a batch applies its range deletes
    /// before its other operations, wherever they were added. One range tombstone in RocksDB, however many keys it
    /// covers.
    public mutating func deleteRange(from begin: [UInt8], to end: [UInt8], in family: ColumnFamily) {
        begin.withUnsafeBytes { b in end.withUnsafeBytes { e in append(.deleteRange, family, b, e) } }
    }

    /// The distinct family indices the batch writes to, in the order first written.
    public private(set) var familyIndices: [Int] = []

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        familyIndices.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Calls `body` for each operation in the order they were added. `value` is empty for deletes, and the end of the
    /// range for range deletes.
    public func forEach(
        _ body: (Operation, _ familyIndex: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let entry = Self.entry(raw, at: start)
                try body(entry.operation, entry.family, entry.key, entry.value)
                start = entry.end
            }
        }
    }

    /// Calls `body` for each operation ordered by column family, then key bytes, then the order they were added (so
    /// the last operation on a key still wins), after the range deletes. RocksDB inserts a batch's keys into its memtable one at a time, and an
    /// ascending key reuses the skip list position of the one before instead of searching from the top: in key order
    /// a batch applies several times faster than in the hash order operators stage their state in.
    public func forEachInKeyOrder(
        _ body: (Operation, _ familyIndex: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { raw in
            // Where each operation starts, sorted; the rest is read back from the buffer.
            var starts: [Int] = []
            starts.reserveCapacity(count)
            var start = 0
            while start < raw.count {
                starts.append(start)
                start = Self.entry(raw, at: start).end
            }
            starts.sort { a, b in
                let x = Self.entry(raw, at: a)
                let y = Self.entry(raw, at: b)
                // Range deletes first: they delete what earlier batches wrote.
                if (x.operation == .deleteRange) != (y.operation == .deleteRange) { return x.operation == .deleteRange }
                if x.family != y.family { return x.family < y.family }
                let common = Swift.min(x.key.count, y.key.count)
                let compared = common == 0 ? 0 : memcmp(x.key.baseAddress!, y.key.baseAddress!, common)
                if compared != 0 { return compared < 0 }
                if x.key.count != y.key.count { return x.key.count < y.key.count }
                return a < b
            }
            for start in starts {
                let entry = Self.entry(raw, at: start)
                try body(entry.operation, entry.family, entry.key, entry.value)
            }
        }
    }

    /// The operation at `start` of the buffer: a tag byte, then family, key length and value length (UInt32 each),
    /// then the key and value bytes.
    @inline(__always)
    private static func entry(_ raw: UnsafeRawBufferPointer, at start: Int)
        -> (operation: Operation, family: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, end: Int)
    {
        let keyStart = start + 13
        let valueStart = keyStart + Int(raw.loadUnaligned(fromByteOffset: start + 5, as: UInt32.self))
        let end = valueStart + Int(raw.loadUnaligned(fromByteOffset: start + 9, as: UInt32.self))
        return (Operation(rawValue: raw[start])!, Int(raw.loadUnaligned(fromByteOffset: start + 1, as: UInt32.self)),
                UnsafeRawBufferPointer(rebasing: raw[keyStart..<valueStart]), UnsafeRawBufferPointer(rebasing: raw[valueStart..<end]), end)
    }

    private mutating func append(_ operation: Operation, _ family: ColumnFamily, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        bytes.append(operation.rawValue)
        withUnsafeBytes(of: UInt32(family.index)) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(key.count)) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(value.count)) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: key)
        bytes.append(contentsOf: value)
        count += 1
        // A batch writes to a few families, mostly in runs: the last one answers almost every check.
        if familyIndices.last != family.index && !familyIndices.contains(family.index) { familyIndices.append(family.index) }
    }
}
