import Relational

/// One side of a stream-stream join, in memory: the stored rows of each join key in (time, offset) order. It mirrors
/// the side's state-store family, committed rows and staged ones alike, so that a probe reads no RocksDB; the store
/// stays the durable copy, and every insert and expiry is still staged for it by `JoinOperator`.
///
/// Rows also queue in arrival order, so that expiring them (`expire(before:)`) costs O(1) per row and can run after
/// every batch: memory holds about WITHIN + GRACE worth of input. A row that arrives older than rows queued before it
/// leaves with them (a little later than it could); it can no longer meet anything by then, so results do not change.
struct JoinWindowIndex {
    struct Entry {
        var time: Int64
        var offset: Int64
        var row: [Value]

        /// Store order: time, then the offset's 64-bit pattern (-1, rows a join made, after every real offset).
        @inline(__always)
        static func precedes(_ time: Int64, _ offset: Int64, _ otherTime: Int64, _ otherOffset: Int64) -> Bool {
            time < otherTime || (time == otherTime && UInt64(bitPattern: offset) < UInt64(bitPattern: otherOffset))
        }
    }

    private(set) var rows: [StateKey: [Entry]] = [:]
    private var arrivals: [(key: StateKey, time: Int64, offset: Int64)] = []
    private var head = 0

    /// Rows held.
    var count: Int { arrivals.count - head }

    mutating func insert(_ key: StateKey, time: Int64, offset: Int64, row: [Value]) {
        arrivals.append((key, time, offset))
        rows[key, default: []].append(Entry(time: time, offset: offset, row: row))
        // Usually in order already; a late row moves back to its place (in place: no copy of the list is held).
        var at = rows[key]!.count - 1
        while at > 0, case let previous = rows[key]![at - 1], Entry.precedes(time, offset, previous.time, previous.offset) {
            rows[key]!.swapAt(at - 1, at)
            at -= 1
        }
    }

    /// Visits the rows of `key` with times in [low, high], in store order.
    func forEach(_ key: StateKey, from low: Int64, through high: Int64, _ body: (Entry) throws -> Void) rethrows {
        guard let list = rows[key] else { return }
        var lower = 0
        var upper = list.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if list[middle].time < low { lower = middle + 1 } else { upper = middle }
        }
        var i = lower
        while i < list.count && list[i].time <= high {
            try body(list[i])
            i += 1
        }
    }

    /// Drops the rows queued before the first one at or after `cutoff`, calling `removed` with each.
    mutating func expire(before cutoff: Int64, _ removed: (StateKey, Int64, Int64) -> Void) {
        while head < arrivals.count && arrivals[head].time < cutoff {
            let (key, time, offset) = arrivals[head]
            head += 1
            guard var list = rows.removeValue(forKey: key) else { continue }
            if let at = list.firstIndex(where: { $0.time == time && $0.offset == offset }) { list.remove(at: at) }
            if !list.isEmpty { rows[key] = list }
            removed(key, time, offset)
        }
        if head > 4_096 && head * 2 > arrivals.count {
            arrivals.removeFirst(head)
            head = 0
        }
    }
}
