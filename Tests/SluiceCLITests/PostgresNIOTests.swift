import Glibc
import Logging
import PostgresNIO
import SluiceTestSupport
import Testing

/// postgres-nio, the Swift PostgreSQL client, against the real `sluice serve`: every statement goes through the
/// extended protocol with binary results and bound parameters. It creates a stream, inserts with parameters, runs
/// a push query with LIMIT, a CTAS, a parameterised pull query, and gets an error with its SQLSTATE.
@Suite struct PostgresNIOTests {
    /// Runs `body` with a connection to a fresh server; the connection is closed even when `body` throws
    /// (postgres-nio traps on a connection released unclosed).
    static func withConnection(_ body: (PostgresConnection, Logger, _ port: Int) async throws -> Void) async throws {
        let dir = TemporaryDirectory("sluice-postgres-nio")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer { server.terminate() }
        let logger = Logger(label: "postgres-nio-test")
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: "127.0.0.1", port: port, username: "swift", password: nil, database: "sluice", tls: .disable),
            id: 1, logger: logger)
        do {
            try await body(connection, logger, port)
        } catch {
            Issue.record("\(String(reflecting: error))")
        }
        try await connection.close()
    }

    @Test func createInsertPushCTASPullAndAnError() async throws {
        try await Self.withConnection { connection, logger, _ in
            try await connection.query(
                "CREATE STREAM orders (id BIGINT KEY, user_id VARCHAR, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);",
                logger: logger)
            for (id, user, amount) in [(Int64(1), "u1", 10.5), (2, "u2", 3.0), (3, "u1", 1.0)] {
                try await connection.query(
                    "INSERT INTO orders (id, user_id, amount) VALUES (\(id), \(user), \(amount));", logger: logger)
            }

            try await connection.query("SET 'auto.offset.reset' = 'earliest';", logger: logger)
            var pushed: [(Int64, String, Double)] = []
            for try await row in try await connection.query(
                "SELECT id, user_id, amount FROM orders EMIT CHANGES LIMIT 3;", logger: logger
            )
            .decode((Int64, String, Double).self) {
                pushed.append(row)
            }
            #expect(pushed.map(\.0) == [1, 2, 3])
            #expect(pushed.map(\.1) == ["u1", "u2", "u1"])
            #expect(pushed.map(\.2) == [10.5, 3.0, 1.0])

            try await connection.query(
                "CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM orders GROUP BY user_id EMIT CHANGES;",
                logger: logger)
            let user = "u1"
            var totals: [(Int64, Double)] = []
            for _ in 0..<100 {
                totals = []
                for try await row in try await connection.query(
                    "SELECT cnt, total FROM totals WHERE user_id = \(user);", logger: logger
                )
                .decode((Int64, Double).self) {
                    totals.append(row)
                }
                if totals.first?.0 == 2 { break }
                usleep(100_000)
            }
            #expect(totals.count == 1)
            #expect(totals.first?.0 == 2)
            #expect(totals.first?.1 == 11.5)

            do {
                try await connection.query("SELECT * FROM nowhere;", logger: logger)
                Issue.record("a query on a missing relation succeeded")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "42P01", "\(String(reflecting: error))")
            }
            // The connection is still usable after the error.
            var one: [Int32] = []
            for try await value in try await connection.query("SELECT 1;", logger: logger).decode(Int32.self) {
                one.append(value)
            }
            #expect(one == [1])
        }
    }

    /// postgres-nio (1.33) has no call that sends a CancelRequest, so its unbounded push query is ended the
    /// ksqlDB way: a second connection finds it in SHOW QUERIES and TERMINATEs it, and the first connection's row
    /// sequence ends as at a LIMIT, after the rows it had, and the connection goes on.
    @Test func anUnboundedPushQueryEndsWhenTerminated() async throws {
        try await Self.withConnection { connection, logger, port in
            try await connection.query(
                "CREATE STREAM ticks (id BIGINT KEY, v VARCHAR) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1);",
                logger: logger)
            try await connection.query("INSERT INTO ticks (id, v) VALUES (1, 'a'), (2, 'b');", logger: logger)
            try await connection.query("SET 'auto.offset.reset' = 'earliest';", logger: logger)
            let reader = Task {
                var ids: [Int64] = []
                for try await id in try await connection.query("SELECT id FROM ticks EMIT CHANGES;", logger: logger)
                    .decode(Int64.self) {
                    ids.append(id)
                }
                return ids
            }
            let other = try await PostgresConnection.connect(
                configuration: .init(
                    host: "127.0.0.1", port: port, username: "admin", password: nil, database: "sluice", tls: .disable),
                id: 2, logger: logger)
            var terminated: String?
            for _ in 0..<300 where terminated == nil {
                let queries = try await other.query("SHOW QUERIES;", logger: logger)
                for try await query in queries.decode((String, String, String, String?, String).self)
                where query.1 == "PUSH" {
                    terminated = query.0
                }
                if terminated == nil { usleep(100_000) }
            }
            if let terminated {
                usleep(300_000)  // its two rows are delivered
                try await other.query("TERMINATE \(unescaped: terminated);", logger: logger)
            }
            try await other.close()
            #expect(terminated != nil, "the push query never showed in SHOW QUERIES")
            // The reader ends within 30 s, or the test fails (its task cancelled) rather than hanging.
            let ids = try await withThrowingTaskGroup(of: [Int64]?.self) { group in
                group.addTask { try await reader.value }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return nil
                }
                let first = try await group.next() ?? nil
                if first == nil { reader.cancel() }
                group.cancelAll()
                return first
            }
            #expect(ids == [1, 2], "the push query did not end after TERMINATE")
            var one: [Int32] = []
            for try await value in try await connection.query("SELECT 1;", logger: logger).decode(Int32.self) {
                one.append(value)
            }
            #expect(one == [1])
        }
    }

    /// postgres-nio sends Parse with the same text for every execution. The server reuses its parse and plan
    /// until the catalog changes: after the table is dropped and created again with other columns, the same text
    /// describes and returns the new columns.
    @Test func aRepeatedParseFollowsACatalogChange() async throws {
        try await Self.withConnection { connection, logger, _ in
            /// The columns and first row of `SELECT * FROM t WHERE id = $1`, polling until the row is there.
            func lookup(_ id: Int64) async throws -> (columns: [String], cells: [String?]) {
                for _ in 0..<100 {
                    let rows = try await connection.query("SELECT * FROM t WHERE id = \(id);", logger: logger)
                    for try await row in rows {
                        let cells = row.map { cell -> String? in
                            guard var bytes = cell.bytes else { return nil }
                            return bytes.readString(length: bytes.readableBytes)
                        }
                        return (row.map(\.columnName), cells)
                    }
                    usleep(50_000)
                }
                return ([], [])
            }

            try await connection.query(
                "CREATE TABLE t (id BIGINT PRIMARY KEY, word VARCHAR) WITH (KAFKA_TOPIC='t1', VALUE_FORMAT='JSON', PARTITIONS=1);",
                logger: logger)
            try await connection.query("INSERT INTO t (id, word) VALUES (1, 'one');", logger: logger)
            for _ in 0..<3 {
                let first = try await lookup(1)
                #expect(first.columns == ["id", "word"], "\(first)")
                #expect(first.cells.count == 2)
            }

            try await connection.query("DROP TABLE t;", logger: logger)
            try await connection.query(
                "CREATE TABLE t (id BIGINT PRIMARY KEY, n INT, word VARCHAR) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON', PARTITIONS=1);",
                logger: logger)
            try await connection.query("INSERT INTO t (id, n, word) VALUES (1, 7, 'seven');", logger: logger)
            let second = try await lookup(1)
            #expect(second.columns == ["id", "n", "word"], "\(second)")
            #expect(second.cells.count == 3)
        }
    }
}
