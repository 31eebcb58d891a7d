import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

@testable import StateStore

/// `cachedGet` through RocksDB's row cache: always as current as `get`, bounded, and never keeping a value that a
/// write replaced while it was being read.
@Suite struct RowCacheTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func write(_ store: RocksDBStateStore, _ body: (inout StateWriteBatch) -> Void) throws {
        var batch = StateWriteBatch()
        body(&batch)
        try store.write(batch, sync: false)
    }

    @Test func cachedReadsFollowPutsDeletesAndRangeDeletes() throws {
        try withTemporaryRocksDB { store in
            let family = try store.columnFamily("t")
            let other = try store.columnFamily("u")
            try write(store) {
                $0.put(bytes("a"), bytes("1"), in: family)
                $0.put(bytes("b"), bytes("2"), in: family)
                $0.put(bytes("a"), bytes("other"), in: other)
            }
            #expect(try store.cachedGet(bytes("a"), in: family) == bytes("1"))
            #expect(try store.cachedGet(bytes("a"), in: family) == bytes("1"))  // now from the cache
            #expect(try store.cachedGet(bytes("a"), in: other) == bytes("other"))  // families stay apart
            #expect(try store.cachedGet(bytes("c"), in: family) == nil)  // absent, and cached as absent
            #expect(store.rowCacheCount == 3)

            try write(store) {
                $0.put(bytes("a"), bytes("10"), in: family)
                $0.put(bytes("c"), bytes("3"), in: family)
            }
            #expect(try store.cachedGet(bytes("a"), in: family) == bytes("10"))
            #expect(try store.cachedGet(bytes("c"), in: family) == bytes("3"))
            #expect(try store.cachedGet(bytes("a"), in: other) == bytes("other"))

            try write(store) { $0.delete(bytes("a"), in: family) }
            #expect(try store.cachedGet(bytes("a"), in: family) == nil)

            _ = try store.cachedGet(bytes("b"), in: family)
            try write(store) { $0.deleteRange(from: bytes("b"), to: bytes("d"), in: family) }
            #expect(try store.cachedGet(bytes("b"), in: family) == nil)
            #expect(try store.cachedGet(bytes("c"), in: family) == nil)
            #expect(try store.cachedGet(bytes("a"), in: other) == bytes("other"))
        }
    }

    @Test func aDroppedAndRecreatedFamilyIsNotAnsweredFromItsOldEntries() throws {
        try withTemporaryRocksDB { store in
            var family = try store.columnFamily("t")
            try write(store) { $0.put(bytes("k"), bytes("old"), in: family) }
            #expect(try store.cachedGet(bytes("k"), in: family) == bytes("old"))
            try store.dropColumnFamily("t")
            #expect(store.rowCacheCount == 0)
            family = try store.columnFamily("t")
            #expect(try store.cachedGet(bytes("k"), in: family) == nil)
            try write(store) { $0.put(bytes("k"), bytes("new"), in: family) }
            #expect(try store.cachedGet(bytes("k"), in: family) == bytes("new"))
        }
    }

    @Test func valuesReadAroundAWriteAreNotCached() {
        let cache = RowCache(capacity: 1 << 20)
        func miss(_ key: [UInt8], family: Int = 1) -> UInt64? {
            key.withUnsafeBytes { key in
                if case .miss(let generation) = cache.lookup(family: family, key: key) { return generation }
                return nil
            }
        }
        func hit(_ key: [UInt8], family: Int = 1) -> [UInt8]?? {
            key.withUnsafeBytes { key in
                if case .hit(let value) = cache.lookup(family: family, key: key) { return value }
                return nil
            }
        }
        func insert(_ key: [UInt8], _ value: [UInt8]?, family: Int = 1, generation: UInt64) {
            key.withUnsafeBytes { cache.insert(family: family, key: $0, value: value, generation: generation) }
        }
        let key = bytes("k")
        var batch = StateWriteBatch()
        batch.put(key, bytes("new"), in: ColumnFamily(name: "t", index: 1))

        // Read before the write began, inserted once it began or after it ended: maybe older than RocksDB now.
        let before = miss(key)!
        cache.beginWrite(batch)
        insert(key, bytes("old"), generation: before)
        #expect(miss(key) != nil)
        // Read while the write is under way, inserted before or after it ended.
        let during = miss(key)!
        insert(key, bytes("old"), generation: during)
        #expect(miss(key) != nil)
        cache.endWrite(batch)
        insert(key, bytes("old"), generation: during)
        insert(key, bytes("old"), generation: before)
        #expect(miss(key) != nil)
        // Read after the write ended: cached.
        insert(key, bytes("new"), generation: miss(key)!)
        #expect(hit(key) == .some(bytes("new")))

        // A write to another family neither removes the entry nor stops caching in this one.
        let absent = bytes("absent")
        let generation = miss(absent)!
        var unrelated = StateWriteBatch()
        unrelated.put(key, bytes("y"), in: ColumnFamily(name: "u", index: 2))
        cache.beginWrite(unrelated)
        cache.endWrite(unrelated)
        insert(absent, nil, generation: generation)
        #expect(hit(absent) == .some(nil))
        #expect(hit(key) == .some(bytes("new")))
        // A write to the family removes the keys it writes, and only those.
        cache.beginWrite(batch)
        #expect(miss(key) != nil)
        #expect(hit(absent) == .some(nil))
        cache.endWrite(batch)
    }

    /// Thousands of inserts through a small cache: bytes stay within capacity, buckets chain and entries leave
    /// from the middle of chains, yet every hit returns its own key's value, and an entry read again and again
    /// survives the CLOCK hand.
    @Test func memoryStaysWithinCapacityAndReadEntriesSurviveEviction() {
        let capacity = RowCache.minimumCapacity
        let cache = RowCache(capacity: capacity)
        func value(_ i: Int) -> [UInt8] { Array("value-\(i)-".utf8) + [UInt8](repeating: UInt8(i & 0xFF), count: 90) }
        func insert(_ i: Int) {
            var key = UInt64(i).bigEndian
            withUnsafeBytes(of: &key) { key in
                guard case .miss(let generation) = cache.lookup(family: i % 3, key: key) else { return }
                cache.insert(family: i % 3, key: key, value: value(i), generation: generation)
            }
        }
        func cached(_ i: Int) -> [UInt8]?? {
            var key = UInt64(i).bigEndian
            return withUnsafeBytes(of: &key) { key in
                if case .hit(let value) = cache.lookup(family: i % 3, key: key) { return value }
                return nil
            }
        }
        insert(0)
        for i in 1..<5_000 {
            insert(i)
            #expect(cache.bytes <= capacity)
            if i % 50 == 0 { #expect(cached(0) == .some(value(0)), "entry 0 was read every 50 inserts, yet evicted by \(i)") }
        }
        let entryCost = 8 + value(4_999).count + RowCache.entryOverhead
        #expect(cache.count >= capacity / entryCost - 1)  // full, not emptied by eviction
        #expect(cached(1) == nil)  // an entry never read again went
        var found = 0
        for i in 0..<5_000 {
            guard let hit = cached(i) else { continue }
            #expect(hit == value(i), "key \(i) answered with another key's value")
            found += 1
        }
        #expect(found == cache.count)
    }

    @Test func aFailedWriteLeavesTheCacheUsable() throws {
        try withTemporaryRocksDB { store in
            let family = try store.columnFamily("t")
            let dropped = try store.columnFamily("gone")
            try write(store) { $0.put(bytes("a"), bytes("1"), in: family) }
            #expect(try store.cachedGet(bytes("a"), in: family) == bytes("1"))
            try store.dropColumnFamily("gone")
            #expect(throws: StateStoreError.self) {
                try write(store) {
                    $0.put(bytes("a"), bytes("2"), in: family)
                    $0.put(bytes("x"), bytes("y"), in: dropped)
                }
            }
            #expect(try store.cachedGet(bytes("a"), in: family) == bytes("1"))  // nothing of the batch was applied
            #expect(try store.cachedGet(bytes("b"), in: family) == nil)
            let before = store.rowCacheStatistics.hits
            #expect(try store.cachedGet(bytes("b"), in: family) == nil)
            #expect(store.rowCacheStatistics.hits == before + 1)  // the miss after the failed write was cached
        }
    }

    /// Two readers and a writer on the same keys: a cached read is never older than a plain read just before it,
    /// every reader sees each key's rounds in order, the last round once the writer is done, and the cache did
    /// answer some of the reads (the writer pauses now and then).
    @Test func concurrentReadersNeverSeeAKeyGoBack() async throws {
        try await withTemporaryRocksDB { store in
            let family = try store.columnFamily("t")
            let keys = (0..<8).map { [UInt8]("key-\($0)".utf8) }
            let rounds = 3_000
            func round(_ bytes: [UInt8]?) -> Int { bytes.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0 }
            let wentBack = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for round in 1...rounds {
                        var batch = StateWriteBatch()
                        for key in keys { batch.put(key, [UInt8]("\(round)".utf8), in: family) }
                        try store.write(batch, sync: false)
                        if round % 100 == 0 { usleep(2_000) }
                    }
                    return 0
                }
                for _ in 0..<2 {
                    group.addTask {
                        var seen = [Int](repeating: 0, count: keys.count)
                        var wentBack = 0
                        for i in 0..<(rounds * 8) {
                            let k = i % keys.count
                            let plain = round(try store.get(keys[k], in: family))
                            let now = round(try store.cachedGet(keys[k], in: family))
                            if now < seen[k] || now < plain { wentBack += 1 }
                            seen[k] = max(seen[k], now)
                        }
                        return wentBack
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(wentBack == 0, "a reader saw a key go back to an older value \(wentBack) times")
            #expect(store.rowCacheStatistics.hits > 0)
            for key in keys {
                #expect(round(try store.cachedGet(key, in: family)) == rounds)
                #expect(round(try store.get(key, in: family)) == rounds)
            }
        }
    }
}
