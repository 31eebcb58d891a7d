import SluiceCore

/// A segment's sparse time index (`<baseOffset>.timeindex`): 12-byte entries (timestamp Int64, relative
/// offset Int32). An entry is added when the segment's max timestamp grows, at the offset index's cadence, so
/// timestamps ascend; a lookup gives the offset from which to scan for the first record with timestamp ≥ t.
final class TimeIndex {
    struct Entry: IndexEntry {
        var timestamp: Timestamp
        var relativeOffset: Int32
        static let width = 12

        init(timestamp: Timestamp, relativeOffset: Int32) {
            self.timestamp = timestamp
            self.relativeOffset = relativeOffset
        }

        init(loading bytes: UnsafeRawBufferPointer) {
            timestamp = bytes.loadBigEndian(at: 0, as: Int64.self)
            relativeOffset = bytes.loadBigEndian(at: 8, as: Int32.self)
        }

        func store(into bytes: UnsafeMutableRawBufferPointer) {
            bytes.storeBigEndian(timestamp, at: 0)
            bytes.storeBigEndian(relativeOffset, at: 8)
        }
    }

    let baseOffset: Offset
    let maxEntries: Int
    private var index: IndexFile<Entry>

    init(file: any FileHandle, baseOffset: Offset, maxIndexBytes: Int) throws {
        self.baseOffset = baseOffset
        self.maxEntries = max(1, maxIndexBytes / Entry.width)
        index = try IndexFile(file: file)
    }

    var count: Int { index.entries.count }
    var isFull: Bool { count >= maxEntries }
    var lastTimestamp: Timestamp? { index.entries.last?.timestamp }

    func append(timestamp: Timestamp, offset: Offset) {
        if let last = index.entries.last, timestamp <= last.timestamp { return }
        index.append(Entry(timestamp: timestamp, relativeOffset: Int32(offset - baseOffset)))
    }

    /// The offset of the last entry whose timestamp is < `timestamp`: records before it are all earlier than
    /// `timestamp`, so a scan for the first record ≥ `timestamp` may start there. The segment start when none is.
    func lookup(_ timestamp: Timestamp) -> Offset {
        guard let i = index.floorIndex(timestamp - 1, key: { $0.timestamp }) else { return baseOffset }
        return baseOffset + Int64(index.entries[i].relativeOffset)
    }

    func truncate(from offset: Offset) {
        var keep = index.entries.count
        while keep > 0 && baseOffset + Int64(index.entries[keep - 1].relativeOffset) >= offset { keep -= 1 }
        index.truncate(toCount: keep)
    }

    func removeAll() { index.removeAll() }
    func flush(sync: Bool) throws { try index.flush(sync: sync) }
    func closeFile() { index.file.close() }

    func isConsistent(lastOffset: Offset) -> Bool {
        var previous: Entry?
        for entry in index.entries {
            if let previous, entry.timestamp <= previous.timestamp || entry.relativeOffset < previous.relativeOffset {
                return false
            }
            if baseOffset + Int64(entry.relativeOffset) > lastOffset { return false }
            previous = entry
        }
        return true
    }
}
