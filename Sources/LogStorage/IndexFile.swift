import SluiceCore

/// A fixed-width entry of a segment index file.
protocol IndexEntry: Equatable {
    static var width: Int { get }
    init(loading bytes: UnsafeRawBufferPointer)
    func store(into bytes: UnsafeMutableRawBufferPointer)
}

/// The entries of one sparse index, kept in memory and written to their file as a tail on `flush` (Kafka
/// mmaps its index files; writing the tail per flush keeps appends to one write call per batch). Indexes are
/// not checksummed: after an unclean stop the recovery scan rebuilds them, and `open` discards a file whose
/// size is not a whole number of entries.
struct IndexFile<Entry: IndexEntry> {
    let file: any FileHandle
    private(set) var entries: [Entry] = []
    private var persisted = 0
    private var truncatedOnDisk = false

    init(file: any FileHandle) throws {
        self.file = file
        let size = Int(try file.size())
        guard size % Entry.width == 0 else {
            truncatedOnDisk = true
            return
        }
        var bytes = [UInt8](repeating: 0, count: size)
        _ = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
        entries.reserveCapacity(size / Entry.width)
        bytes.withUnsafeBytes { raw in
            for i in stride(from: 0, to: size, by: Entry.width) {
                entries.append(Entry(loading: UnsafeRawBufferPointer(rebasing: raw[i..<i + Entry.width])))
            }
        }
        persisted = entries.count
    }

    mutating func append(_ entry: Entry) { entries.append(entry) }

    mutating func removeAll() {
        entries.removeAll()
        persisted = 0
        truncatedOnDisk = true
    }

    /// Keeps the first `count` entries.
    mutating func truncate(toCount count: Int) {
        guard count < entries.count else { return }
        entries.removeLast(entries.count - count)
        if count < persisted {
            persisted = count
            truncatedOnDisk = true
        }
    }

    /// Writes the entries not yet on disk and syncs the file when `sync` is set.
    mutating func flush(sync: Bool) throws {
        if truncatedOnDisk {
            try file.truncate(to: Int64(persisted * Entry.width))
            truncatedOnDisk = false
        }
        if persisted < entries.count {
            var bytes = [UInt8](repeating: 0, count: (entries.count - persisted) * Entry.width)
            bytes.withUnsafeMutableBytes { raw in
                for (i, entry) in entries[persisted...].enumerated() {
                    entry.store(into: UnsafeMutableRawBufferPointer(rebasing: raw[i * Entry.width..<(i + 1) * Entry.width]))
                }
            }
            try bytes.withUnsafeBytes { try file.write($0, at: Int64(persisted * Entry.width)) }
            persisted = entries.count
        }
        if sync { try file.sync() }
    }

    /// The index of the last entry whose key is ≤ `target`, by binary search over the ordered entries.
    func floorIndex(_ target: Int64, key: (Entry) -> Int64) -> Int? {
        var low = 0
        var high = entries.count - 1
        var found: Int?
        while low <= high {
            let mid = (low + high) / 2
            if key(entries[mid]) <= target {
                found = mid
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return found
    }
}
