import Relational

/// One side of a stream-stream join, in memory: the live rows of each join key in (time, offset) order, so that a
/// probe reads no RocksDB. The side's state-store family stays the durable copy, written lazily: rows that arrived
/// since the last flush are written by the next one (`takeUnpersisted`), unless they expire first, and then they
/// never reach the store at all. The store drops expired rows by whole time segments (see `JoinOperator`).
///
/// Rows also queue in arrival order, so that expiring them (`expire(before:)`) costs O(1) per row and can run after
/// every batch: memory holds about WITHIN + GRACE worth of input. A row that arrives older than rows queued before it
/// leaves with them (a little later than it could); it can no longer meet anything by then, so results do not change.
struct JoinWindowIndex {
    struct Entry {
        var time: Int64
        var offset: Int64
        /// The row's place in arrival order, counted from the index's creation (see `values`).
        var arrival: Int

        /// Store order: time, then the offset's 64-bit pattern (-1, rows a join made, after every real offset).
        @inline(__always)
        static func precedes(_ time: Int64, _ offset: Int64, _ otherTime: Int64, _ otherOffset: Int64) -> Bool {
            time < otherTime || (time == otherTime && UInt64(bitPattern: offset) < UInt64(bitPattern: otherOffset))
        }
    }

    /// A key's rows in store order, from `start` on: rows expire from the front (oldest first, as a rule) by moving
    /// `start`, not by shifting the list; the list is compacted once most of it is expired.
    struct KeyRows {
        var entries: [Entry]
        var start = 0

        var live: ArraySlice<Entry> { entries[start...] }
    }

    /// Values per row: the side's columns.
    let width: Int
    private(set) var rows: [StateKey: KeyRows] = [:]
    private var arrivals: [(key: StateKey, time: Int64, offset: Int64)] = []
    /// Every queued row's values, `width` per row, in arrival order: `arrivals[i]`'s at `i * width`. One array for all
    /// rows rather than one per row: inserting copies values into it and expiring frees nothing row by row (the
    /// values go in bulk when the queue is compacted), which saves an allocation and a scattered free per row.
    private var values: [Value] = []
    private var head = 0
    /// Arrivals compacted away: `arrivals[i]` is arrival number `compacted + i`.
    private var compacted = 0
    /// Arrivals before this position are in the store (or in a write batch on its way there); later ones are not.
    private var persisted = 0

    init(width: Int) {
        self.width = width
    }

    /// Rows held.
    var count: Int { arrivals.count - head }

    /// Rows held that the store does not have yet.
    var unpersistedCount: Int { arrivals.count - max(head, persisted) }

    /// Queues a row of `width` values.
    mutating func insert<Row: Collection<Value>>(_ key: StateKey, time: Int64, offset: Int64, row: Row) {
        precondition(row.count == width, "a join row has \(row.count) values, not \(width)")
        let entry = Entry(time: time, offset: offset, arrival: compacted + arrivals.count)
        values.append(contentsOf: row)
        // One lookup; the queue shares the dictionary's copy of a known key.
        guard let slot = rows.index(forKey: key) else {
            rows[key] = KeyRows(entries: [entry])
            arrivals.append((key, time, offset))
            return
        }
        arrivals.append((rows.keys[slot], time, offset))
        rows.values[slot].entries.append(entry)
        // Usually in order already; a late row moves back to its place (in place: no copy of the list is held).
        let start = rows.values[slot].start
        var at = rows.values[slot].entries.count - 1
        while at > start, case let previous = rows.values[slot].entries[at - 1], Entry.precedes(time, offset, previous.time, previous.offset) {
            rows.values[slot].entries.swapAt(at - 1, at)
            at -= 1
        }
    }

    /// Visits the rows of `key` with times in [low, high], in store order, with their values (valid during the call).
    func forEach(
        _ key: StateKey, from low: Int64, through high: Int64, _ body: (Entry, UnsafeBufferPointer<Value>) throws -> Void
    ) rethrows {
        guard let keyRows = rows[key] else { return }
        let list = keyRows.entries
        var lower = keyRows.start
        var upper = list.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if list[middle].time < low { lower = middle + 1 } else { upper = middle }
        }
        guard lower < list.count && list[lower].time <= high else { return }
        try values.withUnsafeBufferPointer { all in
            var i = lower
            while i < list.count && list[i].time <= high {
                try body(list[i], row(list[i].arrival - compacted, in: all))
                i += 1
            }
        }
    }

    @inline(__always)
    private func row(_ position: Int, in all: UnsafeBufferPointer<Value>) -> UnsafeBufferPointer<Value> {
        UnsafeBufferPointer(rebasing: all[(position * width)..<((position + 1) * width)])
    }

    /// Drops the rows queued before the first one at or after `cutoff` (the store drops them by whole segments).
    mutating func expire(before cutoff: Int64) {
        while head < arrivals.count && arrivals[head].time < cutoff {
            let key = arrivals[head].key
            let arrival = compacted + head
            head += 1
            // In place: the list is not copied; it goes when it empties.
            guard let slot = rows.index(forKey: key) else { continue }
            let start = rows.values[slot].start
            guard let at = rows.values[slot].live.firstIndex(where: { $0.arrival == arrival }) else { continue }
            if at == start {
                rows.values[slot].start += 1
            } else {
                rows.values[slot].entries.remove(at: at)
            }
            let (newStart, count) = (rows.values[slot].start, rows.values[slot].entries.count)
            if newStart == count {
                rows.remove(at: slot)
            } else if newStart >= 16 && newStart * 2 >= count {
                rows.values[slot].entries.removeFirst(newStart)
                rows.values[slot].start = 0
            }
        }
        if head > 4_096 && head * 2 > arrivals.count {
            arrivals.removeFirst(head)
            values.removeFirst(head * width)
            compacted += head
            persisted = max(0, persisted - head)
            head = 0
        }
    }

    /// Visits the rows the store does not have yet, in arrival order, and counts them as written from now on.
    /// Rows older than the last expiry's cutoff that still wait behind newer ones are among them; the store's next
    /// segment drop covers them.
    mutating func takeUnpersisted(_ body: (StateKey, Int64, Int64, UnsafeBufferPointer<Value>) -> Void) {
        visit(from: max(head, persisted), body)
        persisted = arrivals.count
    }

    /// Visits every row held, in arrival order (persisted or not).
    func forEachHeld(_ body: (StateKey, Int64, Int64, UnsafeBufferPointer<Value>) -> Void) {
        visit(from: head, body)
    }

    private func visit(from first: Int, _ body: (StateKey, Int64, Int64, UnsafeBufferPointer<Value>) -> Void) {
        values.withUnsafeBufferPointer { all in
            for i in first..<arrivals.count {
                let (key, time, offset) = arrivals[i]
                body(key, time, offset, row(i, in: all))
            }
        }
    }

    /// Counts every row held as written (after loading them from the store).
    mutating func markPersisted() {
        persisted = arrivals.count
    }
}
