import Broker
import Dispatch
import Glibc
import LogStorage
import Relational
import SluiceCore
import SluiceTestSupport
import StateStore
import Synchronization
import Testing

@testable import SQLEngine

/// The engine in-process over a real log and RocksDB: DDL, INSERT, persistent queries, push and pull queries,
/// restart from the command topic.
@Suite struct SQLEngineTests {
    final class Node: @unchecked Sendable {
        let dir: TemporaryDirectory
        let logs: LogManager
        let store: RocksDBStateStore
        let engine: SQLEngine
        var session = SessionState()

        init(dir: TemporaryDirectory = TemporaryDirectory("sluice-engine"), processingLogStream: Bool = false) throws {
            self.dir = dir
            logs = try LogManager(dataDirectory: dir.path + "/log")
            store = try RocksDBStateStore(path: dir.path + "/state")
            engine = try SQLEngine(client: EmbeddedLogClient(logs: logs), store: store, workers: 2, processingLogStream: processingLogStream)
        }

        @discardableResult
        func run(_ sql: String) throws -> [StatementResult] { try engine.execute(sql, session: &session) }

        func rows(_ sql: String) throws -> [[Value]] {
            guard case .rows(let result)? = try run(sql).last else { return [] }
            return result.rows
        }

        /// Polls a pull query until it returns `expected` (the engine processes asynchronously), at most 10 s.
        func eventually(_ sql: String, _ expected: [[Value]]) throws -> [[Value]] {
            var last: [[Value]] = []
            // Up to 30 s: a debug build under a parallel test run commits a 60,000-key flush slowly.
            for _ in 0..<600 {
                last = try rows(sql)
                if last == expected { return last }
                usleep(50_000)
            }
            return last
        }

        func stop() throws {
            engine.shutdown()
            try logs.close()
        }
    }

    /// SHOW TOPICS lists every topic of the log, as ksqlDB lists the cluster's: one no stream reads (a Kafka client
    /// made it) included, internal ones (command topic, consumer offsets, a query's repartition and changelog
    /// topics) only with ALL; EXTENDED adds consumer and consumer-group counts.
    @Test func showTopicsListsTheLogsTopicsAndHidesInternalOnes() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.logs.createTopic("from_kcat", partitions: 3, config: [:])
        try node.logs.createTopic("__consumer_offsets", partitions: 1, config: [:])
        try node.run("""
            CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR)
              WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=2);
            CREATE TABLE per_url AS SELECT url, COUNT(*) AS n FROM clicks GROUP BY url EMIT CHANGES;
            """)
        let all = try node.rows("SHOW ALL TOPICS;").map { $0[0] }
        let queryTopics = node.logs.topicNames.filter { $0.hasPrefix("CTAS_PER_URL_") }
        #expect(queryTopics.contains { $0.hasSuffix("-changelog") }, "\(queryTopics)")
        #expect(queryTopics.contains { $0.contains("-Repartition-") }, "\(queryTopics)")
        #expect(all == node.logs.topicNames.map { .string($0) })
        let shown = try node.rows("SHOW TOPICS;")
        #expect(shown.map { $0[0] } == ["PER_URL", "clicks", "from_kcat"].map { .string($0) })
        #expect(shown.first { $0[0] == .string("from_kcat") }?[1] == .int(3))
        let extended = try node.rows("LIST TOPICS EXTENDED;")
        #expect(extended.count == 3 && extended.allSatisfy { $0.count == 4 && $0[2] == .int(0) && $0[3] == .int(0) })
        // A user's topics keep their names visible, whatever they look like; the engine's own are known by owner.
        for name in ["user-changelog", "_orders", "app-Repartition-1", "orders-v-1-changelog", "PUSH_2-Repartition-1"] {
            #expect(!node.engine.isInternalTopic(name), "\(name)")
        }
        let ctas = try #require(node.engine.runningQueries.first?.id)
        for name in ["__x", "_confluent-ksql", "_schemas", ctas + "-Join-3-Right-changelog", "PUSH_2_9f3a-Repartition-1"] {
            #expect(node.engine.isInternalTopic(name), "\(name)")
        }
    }

    /// Over an existing topic PARTITIONS may be left out: the stream or table takes the topic's count (ksqlDB's
    /// usual CREATE over data a Kafka client produced). Given, it must match; a new topic without it gets one.
    @Test func createOverAnExistingTopicTakesItsPartitionCount() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.logs.createTopic("from_kcat", partitions: 3, config: [:])
        try node.run("""
            CREATE STREAM s (id BIGINT KEY, v VARCHAR) WITH (KAFKA_TOPIC='from_kcat', VALUE_FORMAT='JSON');
            CREATE SOURCE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='from_kcat', VALUE_FORMAT='JSON');
            CREATE STREAM fresh (id BIGINT KEY, v VARCHAR) WITH (KAFKA_TOPIC='fresh', VALUE_FORMAT='JSON');
            """)
        let sources = node.engine.currentCatalog.sources
        #expect(sources["S"]?.partitions == 3 && sources["T"]?.partitions == 3 && sources["FRESH"]?.partitions == 1)
        #expect(node.logs.topic("fresh")?.partitions.count == 1)
        #expect(throws: (any Error).self) {
            try node.run("""
                CREATE STREAM wrong (id BIGINT KEY, v VARCHAR) WITH (KAFKA_TOPIC='from_kcat', VALUE_FORMAT='JSON', PARTITIONS=2);
                """)
        }
        try node.run("INSERT INTO s (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c');")
        #expect(try node.eventually("SELECT v FROM t WHERE id = 2;", [[.string("b")]]) == [[.string("b")]])
    }

    /// ALTER's columns and a QUERY_ID are recorded in the command topic and come back after a restart.
    @Test func alteredColumnsAndQueryIDsSurviveARestart() throws {
        let dir = TemporaryDirectory("sluice-engine")
        defer { dir.remove() }
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE STREAM s (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                ALTER STREAM s ADD COLUMN n INT;
                CREATE STREAM big WITH (QUERY_ID='make_big') AS SELECT id, v, n FROM s EMIT CHANGES;
                """)
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        #expect(node.engine.currentCatalog.sources["S"]?.schema.columns.map(\.name) == ["ID", "V", "N"])
        #expect(node.engine.runningQueries.map(\.id) == ["MAKE_BIG"])
    }

    /// Errors about a name point at it (psql's caret) and suggest the closest existing one.
    @Test func errorsAboutNamesPointAtThemAndSuggestOthers() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("CREATE STREAM clicks (id INT KEY, url VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);")
        func failure(_ sql: String) -> EngineError? {
            do { try node.run(sql) } catch let error as EngineError { return error } catch { return nil }
            return nil
        }
        let function = failure("DESCRIBE FUNCTION ucse;")
        #expect(function?.sqlState == "42883" && function?.position == 19 && function?.hint == "did you mean UCASE?")
        let drop = failure("DROP STREAM clicsk;")
        #expect(drop?.sqlState == "42P01" && drop?.position == 13 && drop?.hint == "did you mean CLICKS?")
        #expect(failure("TERMINATE nope;")?.position == 11)
        #expect(failure("EXPLAIN nope;")?.position == 9)
        let type = failure("CREATE STREAM s (id INT KEY, b STRNG) WITH (KAFKA_TOPIC='s', PARTITIONS=1);")
        #expect(type?.sqlState == "42704" && type?.hint == "did you mean STRING?")
        let duplicate = failure("SELECT id, url AS id FROM clicks EMIT CHANGES;")
        #expect(duplicate?.sqlState == "42701" && duplicate?.position == 19)
        #expect(failure("CREATE STREAM w AS SELECT id FROM clicks EMIT FINAL;")?.position == 42)
        #expect(failure("SELECT id FROM clicks EMIT FINAL;")?.position == 23)
        // After DEFINE, positions count in what was written, not in the substituted text.
        try node.run("DEFINE c = 'url';")
        #expect(failure("SELECT ${c}, nope FROM clicks EMIT CHANGES;")?.position == 14)
        #expect(failure("SELECT ${c} FROM clicks EMIT CHANGES WHERE;")?.position == 38)
    }

    /// Statements that change the catalog run one at a time: of several CREATE … AS SELECT asking for the same
    /// QUERY_ID at once, exactly one gets it.
    @Test func concurrentCreatesWithOneQueryIDStartOneQuery() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("CREATE STREAM s (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
        let engine = node.engine
        let succeeded = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            var session = SessionState()
            let sql = "CREATE STREAM race\(i) WITH (QUERY_ID='dup') AS SELECT id, v FROM s EMIT CHANGES;"
            if (try? engine.execute(sql, session: &session)) != nil { succeeded.withLock { $0 += 1 } }
        }
        #expect(succeeded.withLock { $0 } == 1)
        #expect(engine.runningQueries.map(\.id) == ["DUP"])
    }

    /// A table altered (or replaced) keeps its stored rows across a restart: the replayed log materializes it
    /// once, in its final layout, resuming from its offsets; rows from before ALTER read NULL in the new column.
    @Test func anAlteredTableResumesAfterARestart() throws {
        let dir = TemporaryDirectory("sluice-engine")
        defer { dir.remove() }
        let t = "SELECT id, v, n FROM t WHERE id IN (1, 2) ORDER BY id;"
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);
                INSERT INTO t (id, v) VALUES (1, 'a');
                ALTER TABLE t ADD COLUMN n INT;
                INSERT INTO t (id, v, n) VALUES (2, 'b', 7);
                """)
            let expected: [[Value]] = [[.int(1), .string("a"), .null], [.int(2), .string("b"), .int(7)]]
            #expect(try node.eventually(t, expected) == expected)
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        let layouts = try node.store.columnFamily(SQLEngine.tableLayoutsFamily)
        let table = try #require(node.engine.currentCatalog.sources["T"])
        #expect(try node.store.get(Array("T".utf8), in: layouts) == SQLEngine.layout(of: table))
        let expected: [[Value]] = [[.int(1), .string("a"), .null], [.int(2), .string("b"), .int(7)]]
        #expect(try node.eventually(t, expected) == expected)
        #expect(node.engine.lock.withLock { node.engine.pendingMaterializations.isEmpty && node.engine.materialized == ["T"] })
    }

    /// SHOW QUERIES lists running push queries; closing one (the client cancelled or left), TERMINATE, and a LIMIT
    /// reached each take it off, and the engine forgets it once closed.
    @Test func pushQueriesAreListedUntilTheyEnd() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("CREATE STREAM events (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='events', PARTITIONS=1);")
        func pushQueries() throws -> [[Value]] { try node.rows("SHOW QUERIES;").filter { $0[1] == .string("PUSH") } }
        func start(_ sql: String) throws -> PushQuery? {
            if case .push(let push)? = try node.run(sql).last { return push }
            return nil
        }
        let first = try #require(try start("SELECT id FROM events EMIT CHANGES;"))
        let second = try #require(try start("SELECT v FROM events EMIT CHANGES LIMIT 1;"))
        #expect(try pushQueries().map { [$0[0], $0[2], $0[4]] } == [
            [.string(first.id), .string("RUNNING"), .string("SELECT ID FROM EVENTS EMIT CHANGES")],
            [.string(second.id), .string("RUNNING"), .string("SELECT V FROM EVENTS EMIT CHANGES LIMIT 1")],
        ])
        first.close()
        #expect(try pushQueries().map { $0[0] } == [.string(second.id)])
        #expect(node.engine.lock.withLock { node.engine.pushQueries.map(\.query.id) } == [second.id])
        try node.run("TERMINATE \(second.id);")
        #expect(try pushQueries().isEmpty)
        #expect(try second.next(timeoutMilliseconds: 1_000) == nil)  // ended for its reader, as at a LIMIT
        second.close()
        #expect(node.engine.lock.withLock { node.engine.pushQueries.isEmpty })
        let third = try #require(try start("SELECT id FROM events EMIT CHANGES LIMIT 1;"))
        try node.run("INSERT INTO events (id, v) VALUES (1, 'a');")
        var rows: [[Value]] = []
        while let batch = try third.next(timeoutMilliseconds: 5_000), rows.isEmpty { rows += batch }
        #expect(rows == [[.int(1)]])
        #expect(try pushQueries().isEmpty)  // its LIMIT was reached
        third.close()
        #expect(node.engine.lock.withLock { node.engine.pushQueries.isEmpty })
    }

    @Test func streamsTablesPersistentPushAndPullQueries() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("""
            CREATE STREAM orders (id BIGINT KEY, user_id VARCHAR, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
            INSERT INTO orders (id, user_id, amount) VALUES (1, 'u1', 10.0), (2, 'u2', 5.5), (3, 'u1', 2.5);
            CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM orders GROUP BY user_id EMIT CHANGES;
            """)
        #expect(try node.eventually("SELECT * FROM totals WHERE user_id = 'u1';", [[.string("u1"), .bigint(2), .double(12.5)]])
            == [[.string("u1"), .bigint(2), .double(12.5)]])
        #expect(try node.eventually("SELECT user_id, total FROM totals ORDER BY total DESC;", [[.string("u1"), .double(12.5)], [.string("u2"), .double(5.5)]])
            == [[.string("u1"), .double(12.5)], [.string("u2"), .double(5.5)]])

        // A push query from the beginning, ended by LIMIT.
        node.session.properties["auto.offset.reset"] = "earliest"
        guard case .push(let push)? = try node.run("SELECT id, amount FROM orders WHERE amount > 3 EMIT CHANGES LIMIT 2;").last else {
            Issue.record("not a push query")
            return
        }
        var received: [[Value]] = []
        while let rows = try push.next(timeoutMilliseconds: 5_000), received.count < 2 { received += rows }
        #expect(Set(received.map { $0[0] }) == [.bigint(1), .bigint(2)])
        #expect(push.columns.map(\.name) == ["ID", "AMOUNT"])

        // SHOW, DESCRIBE, DROP refused while a query reads the stream, TERMINATE, DELETE.
        #expect(try node.rows("SHOW TABLES;").map { $0[0] } == [.string("TOTALS")])
        let queries = try node.rows("SHOW QUERIES;")
        #expect(queries.count == 1)
        if case .string(let id)? = queries.first?.first { #expect(id.hasPrefix("CTAS_TOTALS_")) } else { Issue.record("no query id") }
        let refused = #expect(throws: EngineError.self) { try node.run("DROP STREAM orders;") }
        #expect(refused?.sqlState == "2BP01")
        #expect(try node.rows("DESCRIBE orders;").map { $0[0] } == [.string("ID"), .string("USER_ID"), .string("AMOUNT")])
        try node.run("DELETE FROM totals WHERE user_id = 'u2';")
        #expect(try node.eventually("SELECT * FROM totals WHERE user_id = 'u2';", []) == [])
    }

    /// A persistent query's output goes through the idempotent producer path: every batch in the sink topic carries
    /// the query's producer id, epoch 0 and base sequences that continue each other, so the log checks and
    /// deduplicates them as it does external idempotent producers'.
    @Test func sinkBatchesCarryAProducerIdAndContiguousSequences() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("""
            CREATE STREAM clicks (id BIGINT KEY, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
            CREATE STREAM loud WITH (KAFKA_TOPIC='loud', VALUE_FORMAT='JSON', PARTITIONS=1) AS SELECT id, UCASE(page) AS page FROM clicks EMIT CHANGES;
            """)
        for round in 0..<3 {
            try node.run("INSERT INTO clicks (id, page) VALUES (\(round * 2), 'a'), (\(round * 2 + 1), 'b');")
            usleep(200_000)  // separate sink batches
        }
        let sink = try node.logs.partition(TopicPartition("loud", 0))
        for _ in 0..<200 where sink.highWatermark < 6 { usleep(50_000) }
        #expect(sink.highWatermark == 6)
        let read = try sink.read(from: 0, maxBytes: 1 << 20)
        var headers: [RecordBatchHeader] = []
        read.records.withUnsafeBytes { raw in
            var position = 0
            while position < raw.count {
                let header = RecordBatchHeader(parsing: UnsafeRawBufferPointer(rebasing: raw[position...]))
                headers.append(header)
                position += header.sizeInBytes
            }
        }
        #expect(!headers.isEmpty)
        #expect(Set(headers.map(\.producerId)).count == 1)
        #expect(headers.allSatisfy { $0.producerId >= 0 && $0.producerEpoch == 0 })
        var expected: Int32 = 0
        for header in headers {
            #expect(header.baseSequence == expected)
            expected += header.lastOffsetDelta + 1
        }
    }

    /// A flush of tens of thousands of changed keys (200-byte values) is mirrored to the changelog as one batch of
    /// several MiB: the changelog
    /// topic accepts it (it used to fail the query with "larger than max.message.bytes").
    @Test func aLargeFlushFitsTheChangelog() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("CREATE STREAM hits (k BIGINT KEY, page VARCHAR) WITH (KAFKA_TOPIC='hits', VALUE_FORMAT='JSON', PARTITIONS=1);")
        var batch = ProducerBatch()
        for k in 0..<60_000 {
            batch.append(timestamp: Int64(k), key: withUnsafeBytes(of: Int64(k).bigEndian) { Array($0) },
                         value: Array("{\"PAGE\":\"\(String(repeating: "p", count: 200))\(k)\"}".utf8))
            if batch.count == 2_000 {
                _ = try EmbeddedLogClient(logs: node.logs).produce(&batch, to: TopicPartition("hits", 0))
                batch = ProducerBatch()
            }
        }
        try node.run("CREATE TABLE per_key AS SELECT k, COUNT(*) AS n, COLLECT_LIST(page) AS pages FROM hits GROUP BY k EMIT CHANGES;")
        #expect(try node.eventually("SELECT n FROM per_key WHERE k = 59999;", [[.bigint(1)]]) == [[.bigint(1)]])
        let states = try node.rows("SHOW QUERIES;").map { $0[2] }
        #expect(states == [.string("RUNNING")], "\(states)")
        let changelog = try #require(node.logs.topicNames.first { $0.hasSuffix("-changelog") })
        #expect(node.logs.topic(changelog)?.configOverrides["max.message.bytes"] == String(256 << 20))
        // A commit of that size (here 2 MiB in one batch, as the task's mirror writes it) is accepted.
        var big = ProducerBatch()
        for i in 0..<8_000 { big.append(timestamp: 1, key: Array("k\(i)".utf8), value: [UInt8](repeating: 0x61, count: 256)) }
        #expect(big.sizeInBytes > 2 << 20 - 1)
        _ = try EmbeddedLogClient(logs: node.logs).produce(&big, to: TopicPartition(changelog, 0))
    }

    @Test func errorsCarrySQLSTATEsAndPositions() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        let syntax = #expect(throws: EngineError.self) { try node.run("SELECT * FORM t;") }
        #expect(syntax?.sqlState == "42601")
        #expect(syntax?.position == 10)
        let missing = #expect(throws: EngineError.self) { try node.run("SELECT * FROM nope EMIT CHANGES;") }
        #expect(missing?.sqlState == "42P01")
        #expect(missing?.position == 15)
        try node.run("CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        let column = #expect(throws: EngineError.self) { try node.run("SELECT vv FROM s EMIT CHANGES;") }
        #expect(column?.sqlState == "42703")
        #expect(column?.hint == "did you mean V?")
        let badValue = #expect(throws: EngineError.self) { try node.run("INSERT INTO s (id, v) VALUES (1, 'x');") }
        #expect(badValue?.sqlState == "22P02")
        let duplicate = #expect(throws: EngineError.self) { try node.run("CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s');") }
        #expect(duplicate?.sqlState == "42710")
    }

    @Test func showPropertiesListsSessionPropertiesThenServerSettings() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        #expect(try node.rows("SHOW PROPERTIES;").prefix(2) == [
            [.string("auto.offset.reset"), .string("SESSION"), .string("latest")],
            [.string("sluice.workers"), .string("SERVER"), .string("2")],
        ])
        try node.run("SET 'auto.offset.reset'='earliest'; SET 'my.note'='x';")
        let rows = try node.rows("SHOW PROPERTIES;")
        #expect(rows.prefix(2) == [[.string("auto.offset.reset"), .string("SESSION"), .string("earliest")],
                                   [.string("my.note"), .string("SESSION"), .string("x")]])
        #expect(rows.contains([.string("sluice.commit.interval.ms"), .string("SERVER"), .string("2000")]))
        try node.run("UNSET 'my.note';")
        #expect(try node.rows("SHOW PROPERTIES;").filter { $0[1] == .string("SESSION") }.count == 1)
    }

    @Test func aRestartReplaysTheCatalogAndResumesQueries() throws {
        let dir = TemporaryDirectory("sluice-engine")
        defer { dir.remove() }
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id EMIT CHANGES;
                INSERT INTO clicks (user_id, url) VALUES ('a', '/x'), ('a', '/y'), ('b', '/z');
                """)
            #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'a';", [[.bigint(2)]]) == [[.bigint(2)]])
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        #expect(try node.rows("SHOW STREAMS;").map { $0[0] } == [.string("CLICKS")])
        #expect(try node.rows("SHOW QUERIES;").count == 1)
        try node.run("INSERT INTO clicks (user_id, url) VALUES ('a', '/w');")
        // Counted once: the restarted query continued from its committed offsets and RocksDB state.
        #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'a';", [[.bigint(3)]]) == [[.bigint(3)]])
        #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'b';", [[.bigint(1)]]) == [[.bigint(1)]])
    }

    /// A join query resumes both inputs from their committed offsets and its table versions from RocksDB.
    @Test func aJoinResumesAfterARestart() throws {
        let dir = TemporaryDirectory("sluice-engine-join")
        defer { dir.remove() }
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE STREAM orders (oid INT KEY, uid VARCHAR, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE TABLE spend AS SELECT u.name AS name, SUM(o.amount) AS total FROM orders o JOIN users u ON o.uid = u.id GROUP BY u.name EMIT CHANGES;
                INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann'), (1000, 'u2', 'Bob');
                INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (2000, 1, 'u1', 10), (2000, 2, 'u2', 5);
                """)
            #expect(try node.eventually("SELECT total FROM spend WHERE name = 'Ann';", [[.bigint(10)]]) == [[.bigint(10)]])
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        try node.run("INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (3000, 3, 'u1', 1), (3000, 4, 'u2', 2);")
        #expect(try node.eventually("SELECT total FROM spend WHERE name = 'Ann';", [[.bigint(11)]]) == [[.bigint(11)]])
        #expect(try node.eventually("SELECT total FROM spend WHERE name = 'Bob';", [[.bigint(7)]]) == [[.bigint(7)]])
    }

    /// TERMINATE removes what only the query used, as ksqlDB's does: every task's column families, its committed
    /// offsets, its repartition and changelog topics. The sink stays, and a restart replays the TERMINATE cleanly.
    @Test func terminateDropsTheQuerysStateAndInternalTopics() throws {
        let dir = TemporaryDirectory("sluice-engine-terminate")
        defer { dir.remove() }
        var id = ""
        func leftovers(_ node: Node) throws -> (families: [String], topics: [String], offsets: Int) {
            let family = try node.store.columnFamily("__offsets")
            let offsets = try node.store.all(family).filter { String(decoding: $0.key, as: UTF8.self).hasPrefix(id) }.count
            return (node.store.columnFamilyNames.filter { $0.hasPrefix(id + "-") }, node.logs.topicNames.filter { $0.hasPrefix(id + "-") }, offsets)
        }
        do {
            let node = try Node(dir: dir)
            // A join, a re-keying GROUP BY (a repartition topic) and a window (a column family per partition).
            try node.run("""
                CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE STREAM orders (oid INT KEY, uid VARCHAR, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE TABLE sales AS SELECT u.region AS region, SUM(o.amount) AS total FROM orders o JOIN users u ON o.uid = u.id
                  WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY u.region EMIT CHANGES;
                INSERT INTO users (ROWTIME, id, region) VALUES (1000, 'u1', 'north'), (1000, 'u2', 'south');
                INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (2000, 1, 'u1', 10), (2000, 2, 'u2', 5);
                """)
            #expect(try node.eventually("SELECT total FROM sales WHERE region = 'north';", [[.bigint(10)]]) == [[.bigint(10)]])
            guard case .string(let queryID)? = try node.rows("SHOW QUERIES;").first?.first else {
                Issue.record("no query")
                return
            }
            id = queryID
            let before = try leftovers(node)
            #expect(before.families.count >= 3, "\(before.families)")  // the join's table side, the aggregate's partitions
            #expect(before.topics.contains { $0.contains("Repartition") } && before.topics.contains { $0.hasSuffix("changelog") }, "\(before.topics)")
            #expect(before.offsets > 0)

            try node.run("TERMINATE \(id);")
            let after = try leftovers(node)
            #expect(after.families.isEmpty && after.topics.isEmpty && after.offsets == 0, "\(after)")
            #expect(node.logs.topicNames.contains("SALES"))
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        #expect(try node.rows("SHOW QUERIES;").isEmpty)
        let afterRestart = try leftovers(node)
        #expect(afterRestart.families.isEmpty && afterRestart.topics.isEmpty && afterRestart.offsets == 0, "\(afterRestart)")
    }

    /// Query ids are never reused, within a run or across restarts: a query created again after TERMINATE and DROP,
    /// and two INSERT INTO … SELECT, each get their own, so TERMINATE (which drops the id's state) and its replay touch
    /// only the query they name. Replay does not start a query that a later command terminates.
    @Test func queryIdsAreNeverReusedAndReplayedTerminatesTouchOnlyTheirQuery() throws {
        let dir = TemporaryDirectory("sluice-engine-ids")
        defer { dir.remove() }
        func queryIDs(_ node: Node) throws -> [String] {
            try node.rows("SHOW QUERIES;").compactMap { if case .string(let id)? = $0.first { id } else { nil } }.sorted()
        }
        var live = ""
        var copyEnd: Int64 = 0
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM copies AS SELECT * FROM clicks EMIT CHANGES;
                CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id EMIT CHANGES;
                INSERT INTO clicks (user_id, url) VALUES ('a', '/x'), ('a', '/y');
                """)
            #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'a';", [[.bigint(2)]]) == [[.bigint(2)]])
            let first = try queryIDs(node)
            #expect(first.count == 2)
            for id in first { try node.run("TERMINATE \(id);") }
            try node.run("DROP TABLE per_user;")
            try node.run("CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id EMIT CHANGES;")
            try node.run("CREATE STREAM more_clicks (user_id VARCHAR KEY, url VARCHAR) WITH (KAFKA_TOPIC='more', VALUE_FORMAT='JSON', PARTITIONS=1);")
            try node.run("INSERT INTO clicks SELECT * FROM more_clicks EMIT CHANGES;")
            try node.run("INSERT INTO clicks SELECT * FROM more_clicks WHERE url = '/never' EMIT CHANGES;")
            let second = try queryIDs(node)
            #expect(second.count == 3 && Set(second).isDisjoint(with: first), "\(first) then \(second)")
            #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'a';", [[.bigint(2)]]) == [[.bigint(2)]])
            live = second.first { $0.hasPrefix("CTAS_") } ?? ""
            copyEnd = try node.logs.partition(TopicPartition("COPIES", 0)).logEndOffset
            try node.stop()
        }
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        #expect(try queryIDs(node).count == 3)
        try node.run("INSERT INTO clicks (user_id, url) VALUES ('a', '/z');")
        // Counted once: the live query kept its state and offsets through the replayed TERMINATEs.
        #expect(try node.eventually("SELECT n FROM per_user WHERE user_id = 'a';", [[.bigint(3)]]) == [[.bigint(3)]])
        let offsets = try node.store.all(try node.store.columnFamily("__offsets"))
        #expect(offsets.contains { String(decoding: $0.key, as: UTF8.self).hasPrefix(live) })
        // The terminated copy query was not started again: its sink got nothing new.
        usleep(300_000)
        #expect(try node.logs.partition(TopicPartition("COPIES", 0)).logEndOffset == copyEnd)
    }

    /// Issue 4's restore proof: the RocksDB directory is deleted between runs; aggregation and join state come back
    /// from their changelog topics, materialized tables from their topics, and new input is counted exactly once.
    @Test func stateIsRebuiltFromTheChangelogWhenRocksDBIsLost() throws {
        let dir = TemporaryDirectory("sluice-engine-restore")
        defer { dir.remove() }
        let queries = [
            "SELECT k, n, total FROM sums ORDER BY k;",
            "SELECT name, spent FROM spend ORDER BY name;",
        ]
        var before: [[[Value]]] = []
        do {
            let node = try Node(dir: dir)
            try node.run("""
                CREATE STREAM events (id INT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE TABLE sums AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM events GROUP BY k EMIT CHANGES;
                CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
                CREATE TABLE spend AS SELECT u.name AS name, SUM(e.v) AS spent FROM events e JOIN users u ON e.k = u.id GROUP BY u.name EMIT CHANGES;
                INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'a', 'Ann'), (1000, 'b', 'Bob');
                INSERT INTO events (ROWTIME, id, k, v) VALUES (2000, 1, 'a', 1), (2000, 2, 'b', 2), (2000, 3, 'a', 3), (2000, 4, 'c', 4);
                """)
            let sums: [[Value]] = [[.string("a"), .bigint(2), .bigint(4)], [.string("b"), .bigint(1), .bigint(2)], [.string("c"), .bigint(1), .bigint(4)]]
            let spend: [[Value]] = [[.string("Ann"), .bigint(4)], [.string("Bob"), .bigint(2)]]
            #expect(try node.eventually(queries[0], sums) == sums)
            let spent = try node.eventually(queries[1], spend)
            let described = try node.rows("DESCRIBE spend EXTENDED;")
            #expect(spent == spend, "\(spent) \(described)")
            before = try queries.map { try node.rows($0) }
            try node.stop()
        }
        try PosixFileSystem().removeItem(dir.path + "/state")
        let node = try Node(dir: dir)
        defer { try? node.stop() }
        for (query, rows) in zip(queries, before) {
            #expect(try node.eventually(query, rows) == rows)
        }
        try node.run("INSERT INTO events (ROWTIME, id, k, v) VALUES (3000, 5, 'a', 10);")
        #expect(try node.eventually("SELECT n, total FROM sums WHERE k = 'a';", [[.bigint(3), .bigint(14)]]) == [[.bigint(3), .bigint(14)]])
        #expect(try node.eventually("SELECT spent FROM spend WHERE name = 'Ann';", [[.bigint(14)]]) == [[.bigint(14)]])
    }

    /// Bad records land in the KSQL_PROCESSING_LOG stream, which the engine declares itself and users can query.
    @Test func badRecordsAreQueryableInTheProcessingLogStream() throws {
        let dir = TemporaryDirectory("sluice-engine-plog")
        defer { dir.remove() }
        do {
            let node = try Node(dir: dir, processingLogStream: true)
            #expect(try node.rows("SHOW STREAMS;").map { $0[0] } == [.string("KSQL_PROCESSING_LOG")])
            try node.run("""
                CREATE STREAM readings (id INT KEY, v INT) WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM doubled AS SELECT id, v * 2 AS v2 FROM readings EMIT CHANGES;
                """)
            var batch = ProducerBatch()
            batch.append(timestamp: 1000, key: nil, value: Array("{not json".utf8))
            _ = try EmbeddedLogClient(logs: node.logs).produce(&batch, to: TopicPartition("readings", 0))
            try node.run("INSERT INTO readings (id, v) VALUES (1, 21);")
            try node.run("ASSERT VALUES doubled (id, v2) VALUES (1, 42);")
            guard case .string(let id)? = try node.rows("SHOW QUERIES;").first?.first else {
                Issue.record("no query")
                return
            }
            try node.run("ASSERT VALUES KSQL_PROCESSING_LOG (TYPE, QUERY_ID, SOURCE_TOPIC, SOURCE_OFFSET) VALUES ('DESERIALIZATION_ERROR', '\(id)', 'readings', 0);")
            try node.stop()
        }
        // A restart declares the stream once, from the command topic.
        let again = try Node(dir: dir, processingLogStream: true)
        defer { try? again.stop() }
        #expect(try again.rows("SHOW STREAMS;").map { $0[0] }.contains(.string("KSQL_PROCESSING_LOG")))
    }

    /// A pull query prepared once runs with `$n` parameters typed by what they are compared with.
    @Test func preparedPullQueriesTakeParameters() throws {
        let node = try Node()
        defer { try? node.stop(); node.dir.remove() }
        try node.run("""
            CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
            INSERT INTO users (id, name, score) VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cy', 30);
            """)
        #expect(try node.eventually("SELECT name FROM users WHERE id = 3;", [[.string("cy")]]) == [[.string("cy")]])
        let byKey = try node.engine.preparePull("SELECT name, score FROM users WHERE id = $1;")
        #expect(try node.engine.execute(byKey, parameters: [.bigint(2)]).rows == [[.string("bob"), .int(20)]])
        #expect(try node.engine.execute(byKey, parameters: [.string("1")]).rows == [[.string("ann"), .int(10)]])
        #expect(try node.engine.execute(byKey, parameters: [.bigint(9)]).rows.isEmpty)
        #expect(try node.engine.execute(byKey, parameters: [.null]).rows.isEmpty)  // key = NULL matches nothing
        // A whole double finds its key; a fraction equals no key (PostgreSQL compares numerically), where rounding
        // would have found key 2 or 3. Outside a key lookup a fraction for an integer parameter is refused.
        #expect(try node.engine.execute(byKey, parameters: [.double(2)]).rows == [[.string("bob"), .int(20)]])
        #expect(try node.engine.execute(byKey, parameters: [.double(2.5)]).rows.isEmpty)
        #expect(try node.engine.execute(byKey, parameters: [.double(2.5)]).columns.map(\.name) == ["NAME", "SCORE"])
        let byScore = try node.engine.preparePull("SELECT name FROM users WHERE score >= $1;")
        #expect(throws: EngineError.self) { try node.engine.execute(byScore, parameters: [.double(19.5)]) }
        #expect(try node.engine.execute(byKey, parameters: [.bigint(3)]).columns.map(\.name) == ["NAME", "SCORE"])
        let withRowtime = try node.engine.preparePull("SELECT score, ROWTIME, id FROM users WHERE $1 = id;")
        let row = try #require(try node.engine.execute(withRowtime, parameters: [.bigint(1)]).rows.first)
        #expect(row.count == 3 && row[0] == .int(10) && row[2] == .bigint(1) && row[1] != .null)
        // The prepared key lookup (one get) and the general pull path (batch, filter, projection) agree.
        #expect(try node.eventually("SELECT score, ROWTIME, id FROM users WHERE id = 1;", [row]) == [row])
        let scan = try node.engine.preparePull("SELECT name FROM users WHERE score >= $1 ORDER BY name LIMIT 5;")
        #expect(try node.engine.execute(scan, parameters: [.int(20)]).rows == [[.string("bob")], [.string("cy")]])
        // lookupRow, the server's path for key lookups (no result set), answers as execute does.
        func viaLookupRow(_ prepared: PreparedPull, _ parameters: [Value]) throws -> [[Value]] {
            guard let found = try node.engine.lookupRow(prepared, parameters: parameters) else { return [] }
            return [(0..<found.count).map { found[$0] }]
        }
        for parameters: [Value] in [[.bigint(2)], [.string("1")], [.bigint(9)], [.null], [.double(2)], [.double(2.5)]] {
            #expect(try viaLookupRow(byKey, parameters) == node.engine.execute(byKey, parameters: parameters).rows)
        }
        #expect(try viaLookupRow(withRowtime, [.bigint(1)]) == [row])
        let found = try #require(try node.engine.lookupRow(withRowtime, parameters: [.bigint(1)]))
        #expect((0..<found.count).map { found.type($0) } == [.int, .bigint, .bigint])
        #expect(byKey.primaryKeyLookupWidth == 2 && withRowtime.primaryKeyLookupWidth == 3)
        #expect(scan.primaryKeyLookupWidth == nil)
        #expect(throws: EngineError.self) { try node.engine.lookupRow(scan, parameters: [.int(20)]) }
        let many = try node.engine.preparePull("SELECT name FROM users WHERE id IN ($1, $2) ORDER BY name;")
        #expect(try node.engine.execute(many, parameters: [.bigint(3), .bigint(1)]).rows == [[.string("ann")], [.string("cy")]])
        // Key lookups are the pull queries a server may run on its event loop; scans are not.
        #expect(node.engine.isKeyLookup(byKey, parameters: [.bigint(2)]))
        #expect(node.engine.isKeyLookup(many, parameters: [.bigint(3), .bigint(1)]))
        #expect(!node.engine.isKeyLookup(scan, parameters: [.int(20)]))
        #expect(throws: EngineError.self) { try node.engine.preparePull("CREATE STREAM s (a INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1);") }
        // An INT key looked up with a BIGINT beyond INT's range (JDBC's setLong, psycopg's big ints) finds no row;
        // the same value where it must become an INT (a scan's comparison) is 22003.
        try node.run("CREATE TABLE small (k INT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='small', VALUE_FORMAT='JSON', PARTITIONS=1);")
        try node.run("INSERT INTO small (k, v) VALUES (7, 'seven');")
        #expect(try node.eventually("SELECT v FROM small WHERE k = 7;", [[.string("seven")]]) == [[.string("seven")]])
        let small = try node.engine.preparePull("SELECT v FROM small WHERE k = $1;")
        #expect(try node.engine.execute(small, parameters: [.bigint(7)]).rows == [[.string("seven")]])
        #expect(try node.engine.execute(small, parameters: [.bigint(3_000_000_007)]).rows.isEmpty)
        #expect(try node.engine.execute(small, parameters: [.bigint(-3_000_000_000)]).rows.isEmpty)
        #expect(try viaLookupRow(small, [.bigint(7)]) == [[.string("seven")]])
        #expect(try viaLookupRow(small, [.bigint(3_000_000_007)]).isEmpty)
        // Refused alike by both paths, with the same SQLSTATE: text out of range, not a number, a missing parameter.
        let refused: [(PreparedPull, [Value], String)] = [
            (small, [.string("3000000007")], "22003"), (byKey, [.string("x")], "22P02"), (byKey, [], "08P01"),
        ]
        for (prepared, parameters, state) in refused {
            var states: [String] = []
            do { _ = try node.engine.execute(prepared, parameters: parameters) } catch { states.append(error.sqlState) }
            do {
                _ = try node.engine.lookupRow(prepared, parameters: parameters)
            } catch {
                states.append(error.sqlState)
            }
            #expect(states == [state, state], "\(parameters)")
        }
        do {  // a text parameter out of range is the client's mistake, not a number that matches nothing
            _ = try node.engine.execute(small, parameters: [.string("3000000007")])
            Issue.record("expected 22003")
        } catch {
            #expect(error.sqlState == "22003")
        }
        let smallScan = try node.engine.preparePull("SELECT v FROM small WHERE k > $1;")
        do {
            _ = try node.engine.execute(smallScan, parameters: [.bigint(3_000_000_007)])
            Issue.record("expected 22003")
        } catch {
            #expect(error.sqlState == "22003")
        }
    }
}
