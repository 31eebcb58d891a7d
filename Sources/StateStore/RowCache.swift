import Glibc
import SluiceCore

/// A bounded cache of point reads (`get`) in front of RocksDB, for the families that pull queries read by key.
///
/// RocksDB answers a point read from its memtable's skiplist or from block-cache blocks; either costs a search of
/// a few hundred nanoseconds to microseconds, plus per-call bookkeeping (super-version reference, perf context).
/// A pull query by key on a hot table repeats the same reads, so the store keeps the latest values here, keyed by
/// (family, key bytes), and answers a repeated read with a hash probe and a retain of the cached array.
///
/// Values stay exact, and a reader never sees a key go back to an older value, because writes take part: before
/// RocksDB applies a batch, `beginWrite` removes the batch's keys and marks its families as being written; until
/// `endWrite`, nothing read from those families is inserted, and both steps bump the family's generation. A reader
/// that missed remembers the generation before reading RocksDB and inserts what it read only if no write to the
/// family began or ended in between; otherwise the value may be older than what RocksDB holds now, and it is not
/// cached (the next read goes to RocksDB again).
///
/// Memory is bounded by `capacity` bytes of keys, values and per-entry overhead; eviction is CLOCK (second
/// chance): an entry read since the hand last passed survives one more turn. Absent keys are cached too, as a nil
/// value, since a lookup of a missing key costs RocksDB as much as one of a present key.
///
/// Thread-safe: one lock guards everything; the critical sections are a hash probe, never a RocksDB call.
final class RowCache: @unchecked Sendable {
    // @unchecked: every stored property below `lock` is only touched with `lock` held.

    /// What a lookup found: the cached value (nil for a key known to be absent), or a miss with the generation to
    /// hand back to `insert`.
    enum Lookup {
        case hit([UInt8]?)
        case miss(generation: UInt64)
    }

    private struct Entry {
        var hash: Int
        var family: Int
        /// The next entry with the same hash, or -1.
        var next: Int32
        var referenced: Bool
        var key: [UInt8]
        var value: [UInt8]?

        var isLive: Bool { family >= 0 }
        var cost: Int { key.count + (value?.count ?? 0) + RowCache.entryOverhead }
    }

    private struct FamilyState {
        var generation: UInt64 = 0
        var writesInFlight = 0
        var entries = 0
    }

    /// Bytes charged per entry beyond its key and value: the slot, the two array headers, the hash-table entry.
    static let entryOverhead = 96

    let capacity: Int
    private let lock = Lock()
    private var heads: [Int: Int32] = [:]
    private var entries: [Entry] = []
    private var freeSlots: [Int32] = []
    private var hand = 0
    private(set) var bytes = 0
    /// Indexed by family index.
    private var families: [FamilyState] = []

    /// A cache of at most `capacity` bytes; 0 caches nothing.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Entries cached (for tests and statistics).
    var count: Int { lock.withLock { heads.isEmpty ? 0 : entries.count - freeSlots.count } }

    func lookup(family: Int, key: UnsafeRawBufferPointer) -> Lookup {
        let hash = Self.hash(family: family, key: key)
        lock.lock()
        defer { lock.unlock() }
        if let index = find(hash: hash, family: family, key: key) {
            entries[index].referenced = true
            return .hit(entries[index].value)
        }
        return .miss(generation: family < families.count ? families[family].generation : 0)
    }

    /// Caches `value` (nil: the key is absent) for `key`, read from RocksDB after `lookup` returned a miss with
    /// `generation`; dropped if a write to the family began or ended since, is under way, or if the entry alone
    /// would take more than an eighth of the capacity.
    func insert(family: Int, key: UnsafeRawBufferPointer, value: [UInt8]?, generation readGeneration: UInt64) {
        let cost = key.count + (value?.count ?? 0) + Self.entryOverhead
        guard cost <= capacity / 8 else { return }  // one huge value must not flush the whole cache
        let hash = Self.hash(family: family, key: key)
        lock.lock()
        defer { lock.unlock() }
        growFamilies(to: family)
        guard readGeneration == families[family].generation, families[family].writesInFlight == 0 else { return }
        if let index = find(hash: hash, family: family, key: key) {  // another reader got here first
            bytes += cost - entries[index].cost
            entries[index].value = value
            evict(toFit: 0)
            return
        }
        evict(toFit: cost)
        let entry = Entry(hash: hash, family: family, next: heads[hash] ?? -1, referenced: false, key: Array(key), value: value)
        let index: Int
        if let free = freeSlots.popLast() {
            index = Int(free)
            entries[index] = entry
        } else {
            index = entries.count
            entries.append(entry)
        }
        heads[hash] = Int32(index)
        bytes += cost
        families[family].entries += 1
    }

    /// Called before RocksDB applies `batch`, which writes to `touched` (its distinct family indices): removes the
    /// batch's keys (every entry of a family it range-deletes) and holds off inserts into those families until
    /// `endWrite(touched)`.
    func beginWrite(_ batch: StateWriteBatch, touched: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        var cachedAny = false
        for family in touched {
            growFamilies(to: family)
            families[family].generation &+= 1
            families[family].writesInFlight += 1
            cachedAny = cachedAny || families[family].entries > 0
        }
        guard cachedAny else { return }
        batch.forEach { operation, family, key, _ in
            guard families[family].entries > 0 else { return }
            if operation == .deleteRange {
                removeAll(family: family)
            } else if let index = find(hash: Self.hash(family: family, key: key), family: family, key: key) {
                remove(at: index)
            }
        }
    }

    /// Called once RocksDB applied (or failed to apply) the batch given to `beginWrite` with `touched`.
    func endWrite(touched: [Int]) {
        lock.withLock {
            for family in touched {
                families[family].generation &+= 1
                families[family].writesInFlight -= 1
            }
        }
    }

    /// Drops every entry of `family` (the family was dropped).
    func invalidate(family: Int) {
        lock.withLock {
            growFamilies(to: family)
            families[family].generation &+= 1
            removeAll(family: family)
        }
    }

    // MARK: - Table (lock held)

    private func growFamilies(to family: Int) {
        if family >= families.count { families += repeatElement(FamilyState(), count: family + 1 - families.count) }
    }

    private static func hash(family: Int, key: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(family)
        hasher.combine(bytes: key)
        return hasher.finalize()
    }

    private func find(hash: Int, family: Int, key: UnsafeRawBufferPointer) -> Int? {
        var index = heads[hash] ?? -1
        while index >= 0 {
            let i = Int(index)
            if entries[i].family == family, entries[i].key.withUnsafeBytes({ Self.equal($0, key) }) { return i }
            index = entries[i].next
        }
        return nil
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    /// Runs the CLOCK hand until `cost` more bytes fit; every live entry is passed at most twice.
    private func evict(toFit cost: Int) {
        var steps = 2 * entries.count
        while bytes + cost > capacity, steps > 0, !entries.isEmpty {
            if hand >= entries.count { hand = 0 }
            if entries[hand].isLive {
                if entries[hand].referenced {
                    entries[hand].referenced = false
                } else {
                    remove(at: hand)
                }
            }
            hand += 1
            steps -= 1
        }
    }

    private func removeAll(family: Int) {
        guard family < families.count, families[family].entries > 0 else { return }
        var i = 0
        while i < entries.count {  // `remove` empties the slab when the last entry goes
            if entries[i].isLive && entries[i].family == family { remove(at: i) }
            i += 1
        }
    }

    private func remove(at index: Int) {
        let hash = entries[index].hash
        let next = entries[index].next
        if heads[hash] == Int32(index) {
            if next >= 0 { heads[hash] = next } else { heads[hash] = nil }
        } else {
            var previous = Int(heads[hash]!)
            while entries[previous].next != Int32(index) { previous = Int(entries[previous].next) }
            entries[previous].next = next
        }
        bytes -= entries[index].cost
        families[entries[index].family].entries -= 1
        entries[index] = Entry(hash: 0, family: -1, next: -1, referenced: false, key: [], value: nil)
        freeSlots.append(Int32(index))
        if heads.isEmpty {  // nothing live: start over, so the slab does not keep its old size's free list
            entries.removeAll(keepingCapacity: true)
            freeSlots.removeAll(keepingCapacity: true)
            hand = 0
        }
    }
}
