import Glibc
import SluiceCore

/// A bounded cache of point reads (`get`) in front of RocksDB, for the families that pull queries read by key.
///
/// RocksDB answers a point read from its memtable's skiplist or from block-cache blocks; either costs a search of
/// a few hundred nanoseconds to microseconds, plus per-call bookkeeping (super-version reference, perf context).
/// A pull query by key on a hot table repeats the same reads, so the store keeps the latest values here, keyed by
/// (family, key bytes), and answers a repeated read with a hash probe and a retain of the cached array.
///
/// Values stay exact, and a reader never sees a key go back to an older value, because writes take part: right
/// before RocksDB applies a batch, `beginWrite` removes the batch's keys and marks its families as being written;
/// until `endWrite`, nothing read from those families is inserted, and both steps bump the family's generation. A
/// reader that missed remembers the generation before reading RocksDB and inserts what it read only if no write to
/// the family began or ended in between; otherwise the value may be older than what RocksDB holds now, and it is
/// not cached (the next read goes to RocksDB again).
///
/// Memory is bounded by `capacity` bytes of keys, values and per-entry overhead; eviction is CLOCK (second
/// chance): an entry read since the hand last passed survives one more turn. Absent keys are cached too, as a nil
/// value, since a lookup of a missing key costs RocksDB as much as one of a present key.
///
/// The table is a slab of entries chained from a power-of-two bucket array (`hash & mask`), grown with the entry
/// count. Thread-safe: one lock guards everything; the critical sections are hash probes, never a RocksDB call,
/// and hashes are computed before the lock is taken.
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
        /// The next entry in the same bucket, or -1.
        var next: Int32
        var referenced: Bool
        var key: [UInt8]
        var value: [UInt8]?

        var isLive: Bool { family >= 0 }
        var cost: Int { key.count + (value?.count ?? 0) + RowCache.entryOverhead }

        static let free = Entry(hash: 0, family: -1, next: -1, referenced: false, key: [], value: nil)
    }

    private struct FamilyState {
        var generation: UInt64 = 0
        var writesInFlight = 0
        var entries = 0
    }

    /// Bytes charged per entry beyond its key and value: the slab slot (48), the key and value arrays' headers and
    /// malloc overhead (2 × 48), the bucket (4, at most 2 per entry).
    static let entryOverhead = 160
    /// Capacities below this cache nothing: a table of a few entries would only add two lock round trips to reads.
    static let minimumCapacity = 64 << 10
    /// Larger capacities are cut to this: 256 GiB holds fewer than 2^31 entries, so slot indices fit in Int32.
    static let maximumCapacity = 1 << 38

    let capacity: Int
    private let lock = Lock()
    /// Index of the first entry of each bucket, or -1; `buckets.count` is a power of two.
    private var buckets = [Int32](repeating: -1, count: 64)
    private var entries: [Entry] = []
    private var freeSlots: [Int32] = []
    private var live = 0
    private var hand = 0
    private(set) var bytes = 0
    private var hits = 0
    private var misses = 0
    /// Indexed by family index.
    private var families: [FamilyState] = []

    /// A cache of at most `capacity` bytes; below `minimumCapacity`, nothing is cached.
    init(capacity: Int) {
        self.capacity = capacity < Self.minimumCapacity ? 0 : min(capacity, Self.maximumCapacity)
    }

    var isEnabled: Bool { capacity > 0 }

    /// Entries cached (for tests and statistics).
    var count: Int { lock.withLock { live } }
    /// Lookups answered and not answered so far.
    var statistics: (hits: Int, misses: Int) { lock.withLock { (hits, misses) } }

    func lookup(family: Int, key: UnsafeRawBufferPointer) -> Lookup {
        let hash = Self.hash(family: family, key: key)
        lock.lock()
        defer { lock.unlock() }
        if let index = find(hash: hash, family: family, key: key) {
            entries[index].referenced = true
            hits += 1
            return .hit(entries[index].value)
        }
        misses += 1
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
        if live + 1 > buckets.count { growBuckets() }
        let bucket = hash & (buckets.count - 1)
        let entry = Entry(hash: hash, family: family, next: buckets[bucket], referenced: false, key: Array(key), value: value)
        let index: Int
        if let free = freeSlots.popLast() {
            index = Int(free)
            entries[index] = entry
        } else {
            index = entries.count
            entries.append(entry)
        }
        buckets[bucket] = Int32(index)
        bytes += cost
        live += 1
        families[family].entries += 1
    }

    /// Called right before RocksDB applies `batch`: removes the batch's keys (every entry of a family it
    /// range-deletes) and holds off inserts into its families until `endWrite(batch)`.
    func beginWrite(_ batch: StateWriteBatch) {
        // Hashes first, outside the lock, and only when a family of the batch has entries (one that gains some
        // between the peek and the lock is hashed under it).
        var hashes: [Int] = []
        if lock.withLock({ batch.familyIndices.contains { $0 < families.count && families[$0].entries > 0 } }) {
            hashes.reserveCapacity(batch.count)
            batch.forEach { _, family, key, _ in hashes.append(Self.hash(family: family, key: key)) }
        }
        lock.lock()
        defer { lock.unlock() }
        var cachedAny = false
        for family in batch.familyIndices {
            growFamilies(to: family)
            families[family].generation &+= 1
            families[family].writesInFlight += 1
            cachedAny = cachedAny || families[family].entries > 0
        }
        guard cachedAny else { return }
        var i = 0
        batch.forEach { operation, family, key, _ in
            defer { i += 1 }
            guard families[family].entries > 0 else { return }
            if operation == .deleteRange {
                removeAll(family: family)
                return
            }
            let hash = i < hashes.count ? hashes[i] : Self.hash(family: family, key: key)
            if let index = find(hash: hash, family: family, key: key) { remove(at: index) }
        }
    }

    /// Called once RocksDB applied (or failed to apply) the batch given to `beginWrite`.
    func endWrite(_ batch: StateWriteBatch) {
        lock.withLock {
            for family in batch.familyIndices {
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
        var index = buckets[hash & (buckets.count - 1)]
        while index >= 0 {
            let i = Int(index)
            if entries[i].hash == hash, entries[i].family == family, entries[i].key.withUnsafeBytes({ Self.equal($0, key) }) {
                return i
            }
            index = entries[i].next
        }
        return nil
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    /// Doubles the bucket array and relinks every live entry.
    private func growBuckets() {
        buckets = [Int32](repeating: -1, count: buckets.count * 2)
        let mask = buckets.count - 1
        for i in entries.indices where entries[i].isLive {
            let bucket = entries[i].hash & mask
            entries[i].next = buckets[bucket]
            buckets[bucket] = Int32(i)
        }
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
        let bucket = entries[index].hash & (buckets.count - 1)
        let next = entries[index].next
        if buckets[bucket] == Int32(index) {
            buckets[bucket] = next
        } else {
            var previous = Int(buckets[bucket])
            while entries[previous].next != Int32(index) { previous = Int(entries[previous].next) }
            entries[previous].next = next
        }
        bytes -= entries[index].cost
        families[entries[index].family].entries -= 1
        live -= 1
        entries[index] = .free
        freeSlots.append(Int32(index))
        if live == 0 {  // nothing left: start over, so the slab does not keep its old size's free list
            entries.removeAll(keepingCapacity: true)
            freeSlots.removeAll(keepingCapacity: true)
            hand = 0
        }
    }
}
