import SluiceCore

/// A segment's sparse offset index (`<baseOffset>.index`): 8-byte entries (offset relative to the segment's
/// base as Int32, file position as Int32), one every `index.interval.bytes` of log, ascending in both fields.
/// Lookups find the greatest indexed offset ≤ the target, from which a reader scans forward.
final class OffsetIndex {
    struct Entry: IndexEntry {
        var relativeOffset: Int32
        var position: Int32
        static let width = 8

        init(relativeOffset: Int32, position: Int32) {
            self.relativeOffset = relativeOffset
            self.position = position
        }

        init(loading bytes: UnsafeRawBufferPointer) {
            relativeOffset = bytes.loadBigEndian(at: 0, as: Int32.self)
            position = bytes.loadBigEndian(at: 4, as: Int32.self)
        }

        func store(into bytes: UnsafeMutableRawBufferPointer) {
            bytes.storeBigEndian(relativeOffset, at: 0)
            bytes.storeBigEndian(position, at: 4)
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
    var lastEntry: (offset: Offset, position: Int64)? {
        index.entries.last.map { (baseOffset + Int64($0.relativeOffset), Int64($0.position)) }
    }

    func append(offset: Offset, position: Int64) {
        if let last = index.entries.last, Int64(last.relativeOffset) + baseOffset >= offset { return }
        index.append(Entry(relativeOffset: Int32(offset - baseOffset), position: Int32(position)))
    }

    /// The greatest indexed (offset, position) at or below `offset`; the segment start when none is.
    func lookup(_ offset: Offset) -> (offset: Offset, position: Int64) {
        guard let i = index.floorIndex(offset - baseOffset, key: { Int64($0.relativeOffset) }) else { return (baseOffset, 0) }
        return (baseOffset + Int64(index.entries[i].relativeOffset), Int64(index.entries[i].position))
    }

    /// Drops entries for offsets ≥ `offset`.
    func truncate(from offset: Offset) {
        let keep = index.floorIndex(offset - baseOffset - 1, key: { Int64($0.relativeOffset) }).map { $0 + 1 } ?? 0
        index.truncate(toCount: keep)
    }

    func removeAll() { index.removeAll() }
    func flush(sync: Bool) throws { try index.flush(sync: sync) }
    func closeFile() { index.file.close() }

    /// Kafka's sanity check on open: ascending entries that point inside the log.
    func isConsistent(logSize: Int64) -> Bool {
        var previous = Entry(relativeOffset: -1, position: -1)
        for entry in index.entries {
            guard entry.relativeOffset > previous.relativeOffset, entry.position > previous.position || previous.position < 0,
                Int64(entry.position) < max(logSize, 1)
            else { return false }
            previous = entry
        }
        return true
    }
}
