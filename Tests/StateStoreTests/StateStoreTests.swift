import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

@testable import StateStore

/// The same contract checked against both stores.
@Suite struct StateStoreTests {
    enum Kind: String, CaseIterable { case memory, rocksdb }

    func make(_ kind: Kind, _ dir: TemporaryDirectory) throws -> any StateStore {
        switch kind {
        case .memory: MemoryStateStore()
        case .rocksdb: try RocksDBStateStore(path: dir.path + "/state")
        }
    }

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test(arguments: Kind.allCases)
    func putGetDeleteAcrossFamiliesAtomically(kind: Kind) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try make(kind, dir)
        let counts = try store.columnFamily("counts")
        let offsets = try store.columnFamily("offsets")
        var batch = StateWriteBatch()
        batch.put(bytes("a"), bytes("1"), in: counts)
        batch.put(bytes("b"), bytes("2"), in: counts)
        batch.put(bytes("orders-0"), bytes("42"), in: offsets)
        batch.delete(bytes("b"), in: counts)
        try store.write(batch, sync: false)
        #expect(try store.get(bytes("a"), in: counts) == bytes("1"))
        #expect(try store.get(bytes("b"), in: counts) == nil)  // later operations win within a batch
        #expect(try store.get(bytes("orders-0"), in: offsets) == bytes("42"))
        #expect(try store.get(bytes("a"), in: offsets) == nil)  // families are separate keyspaces
        #expect(try store.columnFamily("counts") == counts)
        #expect(Set(store.columnFamilyNames) == ["counts", "offsets"])
    }

    @Test(arguments: Kind.allCases)
    func scansInByteOrderWithinBounds(kind: Kind) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try make(kind, dir)
        let family = try store.columnFamily("f")
        var batch = StateWriteBatch()
        for key in ["b", "a", "c", "ab", "\u{7f}", ""] { batch.put(bytes(key), bytes(key.uppercased()), in: family) }
        try store.write(batch, sync: false)
        var keys: [String] = []
        try store.scan(family, from: nil, to: nil) { key, _ in
            keys.append(String(decoding: key, as: UTF8.self))
            return true
        }
        #expect(keys == ["", "a", "ab", "b", "c", "\u{7f}"])
        keys.removeAll()
        try store.scan(family, from: bytes("ab"), to: bytes("c")) { key, value in
            keys.append(String(decoding: key, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
            return true
        }
        #expect(keys == ["ab=AB", "b=B"])
        var visited = 0
        try store.scan(family, from: nil, to: nil) { _, _ in
            visited += 1
            return visited < 2
        }
        #expect(visited == 2)
    }

    @Test(arguments: Kind.allCases)
    func droppedFamiliesLoseTheirDataAndRefuseUse(kind: Kind) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try make(kind, dir)
        let family = try store.columnFamily("query_1")
        var batch = StateWriteBatch()
        batch.put(bytes("k"), bytes("v"), in: family)
        try store.write(batch, sync: false)
        try store.dropColumnFamily("query_1")
        #expect(!store.columnFamilyNames.contains("query_1"))
        let recreated = try store.columnFamily("query_1")
        #expect(try store.get(bytes("k"), in: recreated) == nil)

        // The recreated family is the one the name finds from now on, and it can be dropped and made again.
        var again = StateWriteBatch()
        again.put(bytes("k2"), bytes("v2"), in: recreated)
        try store.write(again, sync: false)
        #expect(try store.get(bytes("k2"), in: try store.columnFamily("query_1")) == bytes("v2"))
        try store.dropColumnFamily("query_1")
        #expect(!store.columnFamilyNames.contains("query_1"))
        #expect(try store.get(bytes("k2"), in: try store.columnFamily("query_1")) == nil)
    }

    @Test func rocksDBKeepsDataAcrossReopenAndCheckpoints() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let store = try RocksDBStateStore(path: dir.path + "/state")
            let family = try store.columnFamily("agg")
            var batch = StateWriteBatch()
            for i in 0..<1_000 { batch.put(bytes("key\(i)"), bytes("\(i * i)"), in: family) }
            try store.write(batch, sync: true)
            try store.checkpoint(to: dir.path + "/checkpoint")
            var more = StateWriteBatch()
            more.put(bytes("after"), bytes("checkpoint"), in: family)
            try store.write(more, sync: true)
        }
        let reopened = try RocksDBStateStore(path: dir.path + "/state")
        let family = try reopened.columnFamily("agg")
        #expect(try reopened.get(bytes("key999"), in: family) == bytes("998001"))
        #expect(try reopened.get(bytes("after"), in: family) == bytes("checkpoint"))
        let fromCheckpoint = try RocksDBStateStore(path: dir.path + "/checkpoint")
        let checkpointed = try fromCheckpoint.columnFamily("agg")
        #expect(try fromCheckpoint.all(checkpointed).count == 1_000)
        #expect(try fromCheckpoint.get(bytes("after"), in: checkpointed) == nil)
    }

    @Test func aSecondOpenOfTheSameDirectoryIsAnErrorNotACrash() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = try RocksDBStateStore(path: dir.path + "/state")
        let error = #expect(throws: StateStoreError.self) { _ = try RocksDBStateStore(path: dir.path + "/state") }
        #expect(error?.message.contains("lock") == true)
        _ = first
    }

    @Test func writeBatchReplaysItsOperationsInOrder() {
        let a = ColumnFamily(name: "a", index: 3)
        var batch = StateWriteBatch()
        batch.put(bytes("k1"), bytes("v1"), in: a)
        batch.delete(bytes("k2"), in: a)
        batch.put(bytes(""), bytes(""), in: a)
        var seen: [String] = []
        batch.forEach { operation, family, key, value in
            seen.append("\(operation) \(family) \(String(decoding: key, as: UTF8.self))=\(String(decoding: value, as: UTF8.self))")
        }
        #expect(seen == ["put 3 k1=v1", "delete 3 k2=", "put 3 ="])
        #expect(batch.count == 3)
    }

    @Test func writeBatchSortsByFamilyThenKeyKeepingTheOrderOfEachKey() {
        let a = ColumnFamily(name: "a", index: 1)
        let b = ColumnFamily(name: "b", index: 0)
        var batch = StateWriteBatch()
        batch.put(bytes("kb"), bytes("1"), in: a)
        batch.put(bytes("k"), bytes("2"), in: a)
        batch.put(bytes("z"), bytes("3"), in: b)
        batch.delete(bytes("kb"), in: a)
        batch.put(bytes(""), bytes("4"), in: a)
        batch.put(bytes("kb"), bytes("5"), in: a)
        batch.put(bytes("ka"), bytes("6"), in: a)
        var seen: [String] = []
        batch.forEachInKeyOrder { operation, family, key, value in
            seen.append("\(operation) \(family) \(String(decoding: key, as: UTF8.self))=\(String(decoding: value, as: UTF8.self))")
        }
        #expect(seen == ["put 0 z=3", "put 1 =4", "put 1 k=2", "put 1 ka=6", "put 1 kb=1", "delete 1 kb=", "put 1 kb=5"])
    }

    /// A range delete removes what earlier batches wrote in [begin, end), and nothing its own batch writes, wherever
    /// it was added in the batch; other families are untouched.
    @Test(arguments: Kind.allCases)
    func rangeDeletesApplyBeforeTheRestOfTheirBatch(kind: Kind) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try make(kind, dir)
        let family = try store.columnFamily("f")
        let other = try store.columnFamily("g")
        var first = StateWriteBatch()
        for k in ["a", "b", "ba", "c", "d", "e"] { first.put(bytes(k), bytes("old"), in: family) }
        first.put(bytes("c"), bytes("old"), in: other)
        try store.write(first, sync: false)
        var second = StateWriteBatch()
        second.put(bytes("c2"), bytes("new"), in: family)
        second.deleteRange(from: bytes("b"), to: bytes("d"), in: family)
        second.put(bytes("b"), bytes("new"), in: family)
        second.delete(bytes("e"), in: family)
        try store.write(second, sync: false)
        let left = try store.all(family).map { "\(String(decoding: $0.key, as: UTF8.self))=\(String(decoding: $0.value, as: UTF8.self))" }
        #expect(left == ["a=old", "b=new", "c2=new", "d=old"])
        #expect(try store.all(other).count == 1)
    }

    /// A large batch in random key order, with repeated keys: the store ends up as if applied in the order added.
    @Test(arguments: Kind.allCases)
    func largeBatchesApplyAsIfInOrder(kind: Kind) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try make(kind, dir)
        let family = try store.columnFamily("f")
        var random = SeededRandom(seed: 7)
        var expected: [[UInt8]: [UInt8]] = [:]
        var batch = StateWriteBatch()
        for i in 0..<20_000 {
            let key = withUnsafeBytes(of: UInt32.random(in: 0..<3_000, using: &random).bigEndian) { Array($0) }
            if Int.random(in: 0..<4, using: &random) == 0 {
                batch.delete(key, in: family)
                expected[key] = nil
            } else {
                let value = Array("v\(i)".utf8)
                batch.put(key, value, in: family)
                expected[key] = value
            }
        }
        try store.write(batch, sync: false)
        let stored = try store.all(family)
        #expect(stored.count == expected.count)
        #expect(stored.allSatisfy { expected[$0.key] == $0.value })
    }

    /// Dropping and recreating a family while other threads read, scan and write it: each of those either works or
    /// fails with an error (the family was dropped), never a crash, and the store is whole afterwards. The native
    /// handle a reader uses must outlive the drop until that reader is done.
    @Test func droppingAFamilyUnderConcurrentReadersIsAnErrorNotACrash() throws {
        try withTemporaryRocksDB { store in
            /// The family the readers use, and what they saw; threads report here and the test checks after joining.
            final class Shared: @unchecked Sendable {
                // @unchecked: every property is only touched with `lock` held.
                private let lock = Lock()
                private var family: ColumnFamily
                private(set) var worked = 0
                private(set) var failed = 0
                private(set) var attempted = 0
                private var finished = false
                private(set) var problems: [String] = []
                init(_ family: ColumnFamily) { self.family = family }
                var current: ColumnFamily {
                    get { lock.withLock { family } }
                    set { lock.withLock { family = newValue } }
                }
                var isFinished: Bool { lock.withLock { finished } }
                func finish() { lock.withLock { finished = true } }
                func count(worked: Int, failed: Int, attempted: Int) {
                    lock.withLock {
                        self.worked += worked
                        self.failed += failed
                        self.attempted += attempted
                    }
                }
                func problem(_ text: String) { lock.withLock { problems.append(text) } }
            }
            let keys = (0..<200).map { [UInt8]("key-\($0)".utf8) }
            func fill(_ family: ColumnFamily) throws {
                var batch = StateWriteBatch()
                for key in keys { batch.put(key, key, in: family) }
                try store.write(batch, sync: false)
            }
            let shared = Shared(try store.columnFamily("t"))
            try fill(shared.current)
            let generations = 150
            // Plain threads: these loops block (RocksDB calls, a sleep), which the cooperative pool would serialise.
            var threads = [
                PosixThread {
                    do {
                        for _ in 0..<generations {
                            try store.dropColumnFamily("t")
                            let family = try store.columnFamily("t")
                            try fill(family)
                            shared.current = family
                            usleep(500)  // a window in which the readers' family is live
                        }
                    } catch {
                        shared.problem("drop/recreate failed: \(error)")
                    }
                    shared.finish()
                }
            ]
            for reader in 0..<3 {
                threads.append(PosixThread {
                    var worked = 0
                    var failed = 0
                    var i = 0
                    while !shared.isFinished {
                        i += 1
                        let family = shared.current
                        do {
                            switch (reader + i) % 3 {
                            case 0:
                                var seen = 0
                                try store.scan(family, from: nil, to: nil) { key, value in
                                    if !key.elementsEqual(value) {
                                        shared.problem("scan: a key with another key's value")
                                    }
                                    if seen == 0 { usleep(300) }  // hold the family across a drop now and then
                                    seen += 1
                                    return true
                                }
                                if seen > keys.count { shared.problem("scan: \(seen) keys of \(keys.count)") }
                            case 1:
                                let key = keys[i % keys.count]
                                let value = try store.cachedGet(key, in: family)
                                if value != nil && value != key {
                                    shared.problem("get: a key with another key's value")
                                }
                            default:
                                var batch = StateWriteBatch()
                                batch.put(keys[i % keys.count], keys[i % keys.count], in: family)
                                try store.write(batch, sync: false)
                            }
                            worked += 1
                        } catch is StateStoreError {
                            failed += 1
                        } catch {
                            shared.problem("unexpected error: \(error)")
                        }
                    }
                    shared.count(worked: worked, failed: failed, attempted: i)
                })
            }
            for thread in threads { thread.join() }
            #expect(shared.problems.isEmpty, "\(shared.problems.prefix(5))")
            #expect(shared.worked > 0)
            #expect(shared.worked + shared.failed == shared.attempted)
            let family = shared.current
            for key in keys { #expect(try store.get(key, in: family) == key) }
            #expect(store.columnFamilyNames == ["t"])
        }
    }

    /// Drops `name` the next time `store` is about to call RocksDB with a family handle it already looked up: the
    /// narrowest race between a reader or writer and DROP, made deterministic.
    func dropOnNextNativeCall(_ name: String, of store: RocksDBStateStore) {
        store.testHookBeforeNativeCall = { [unowned store] in
            store.testHookBeforeNativeCall = nil
            do { try store.dropColumnFamily(name) } catch { Issue.record(error) }
        }
    }

    /// A read or scan that looked the family up before a DROP finishes on the dropped family's data (RocksDB keeps
    /// it while a handle is alive): the handle must not be destroyed under it. Later reads are refused.
    @Test func aReadOrScanRacingTheDropOfItsFamilyFinishesOnItsData() throws {
        try withTemporaryRocksDB { store in
            var family = try store.columnFamily("t")
            var batch = StateWriteBatch()
            batch.put(bytes("a"), bytes("1"), in: family)
            batch.put(bytes("b"), bytes("2"), in: family)
            try store.write(batch, sync: false)

            dropOnNextNativeCall("t", of: store)
            #expect(try store.get(bytes("a"), in: family) == bytes("1"))
            #expect(store.testHookBeforeNativeCall == nil)  // the drop did run between lookup and read
            #expect(throws: StateStoreError.self) { try store.get(bytes("a"), in: family) }

            family = try store.columnFamily("t")
            batch.removeAll()
            batch.put(bytes("a"), bytes("1"), in: family)
            batch.put(bytes("b"), bytes("2"), in: family)
            try store.write(batch, sync: false)
            dropOnNextNativeCall("t", of: store)
            var seen: [[UInt8]] = []
            try store.scan(family, from: nil, to: nil) { key, _ in
                seen.append(Array(key))
                return true
            }
            #expect(seen == [bytes("a"), bytes("b")])
            #expect(store.columnFamilyNames.isEmpty)
        }
    }

    /// A write whose family is dropped between its handle lookup and RocksDB loses that family's part (gone anyway)
    /// and keeps the rest; the store stays writable (RocksDB would otherwise fail the write after logging it and
    /// refuse every later one).
    @Test func aWriteRacingTheDropOfItsFamilyLeavesTheStoreWritable() throws {
        try withTemporaryRocksDB { store in
            let dropped = try store.columnFamily("t")
            let kept = try store.columnFamily("u")
            var batch = StateWriteBatch()
            batch.put(bytes("a"), bytes("1"), in: dropped)
            batch.put(bytes("a"), bytes("2"), in: kept)
            dropOnNextNativeCall("t", of: store)
            try store.write(batch, sync: false)
            #expect(store.testHookBeforeNativeCall == nil)
            #expect(try store.get(bytes("a"), in: kept) == bytes("2"))

            var next = StateWriteBatch()
            next.put(bytes("b"), bytes("3"), in: kept)
            try store.write(next, sync: true)
            #expect(try store.get(bytes("b"), in: kept) == bytes("3"))
            #expect(throws: StateStoreError.self) { try store.write(batch, sync: false) }  // names the dropped family
        }
    }
}
