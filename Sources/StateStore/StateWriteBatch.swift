import Glibc

/// Puts and deletes across column families, applied atomically by `StateStore.write`. Operations are packed into
/// one byte buffer (no allocation per operation), and can be replayed in order with `forEach`: that is how a task
/// mirrors exactly what it committed to its changelog topic.
public struct StateWriteBatch: Sendable {
    public enum Operation: UInt8, Sendable {
        case put = 1
        case delete = 2
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

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Calls `body` for each operation in the order they were added. `value` is empty for deletes.
    public func forEach(
        _ body: (Operation, _ familyIndex: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { raw in
            var i = 0
            while i < raw.count {
                let operation = Operation(rawValue: raw[i])!
                let family = Int(raw.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self))
                let keyLength = Int(raw.loadUnaligned(fromByteOffset: i + 5, as: UInt32.self))
                let valueLength = Int(raw.loadUnaligned(fromByteOffset: i + 9, as: UInt32.self))
                let keyStart = i + 13
                let valueStart = keyStart + keyLength
                try body(operation, family, UnsafeRawBufferPointer(rebasing: raw[keyStart..<valueStart]),
                         UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueStart + valueLength]))
                i = valueStart + valueLength
            }
        }
    }

    /// Calls `body` for each operation ordered by column family, then key bytes, then the order they were added (so
    /// the last operation on a key still wins). RocksDB inserts a batch's keys into its memtable one at a time, and an
    /// ascending key reuses the skip list position of the one before instead of searching from the top: in key order
    /// a batch applies several times faster than in the hash order operators stage their state in.
    public func forEachInKeyOrder(
        _ body: (Operation, _ familyIndex: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        try bytes.withUnsafeBytes { raw in
            // (family, start of the operation) per operation; the rest is read back from the buffer.
            var order: [(family: UInt32, start: Int)] = []
            order.reserveCapacity(count)
            var i = 0
            while i < raw.count {
                order.append((raw.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self), i))
                i += 13 + Int(raw.loadUnaligned(fromByteOffset: i + 5, as: UInt32.self)) + Int(raw.loadUnaligned(fromByteOffset: i + 9, as: UInt32.self))
            }
            func key(_ start: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: raw[(start + 13)..<(start + 13 + Int(raw.loadUnaligned(fromByteOffset: start + 5, as: UInt32.self)))])
            }
            order.sort { a, b in
                if a.family != b.family { return a.family < b.family }
                let x = key(a.start)
                let y = key(b.start)
                let common = Swift.min(x.count, y.count)
                let compared = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                if compared != 0 { return compared < 0 }
                if x.count != y.count { return x.count < y.count }
                return a.start < b.start
            }
            for (family, start) in order {
                let k = key(start)
                let valueLength = Int(raw.loadUnaligned(fromByteOffset: start + 9, as: UInt32.self))
                let valueStart = start + 13 + k.count
                try body(Operation(rawValue: raw[start])!, Int(family), k, UnsafeRawBufferPointer(rebasing: raw[valueStart..<(valueStart + valueLength)]))
            }
        }
    }

    private mutating func append(_ operation: Operation, _ family: ColumnFamily, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        bytes.append(operation.rawValue)
        withUnsafeBytes(of: UInt32(family.index)) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(key.count)) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(value.count)) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: key)
        bytes.append(contentsOf: value)
        count += 1
    }
}
