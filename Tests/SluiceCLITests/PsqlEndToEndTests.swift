import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice serve` driven by the real psql: psql → PostgreSQL wire → SQL → log → RocksDB → results.
@Suite(.serialized) struct PsqlEndToEndTests {
    static let psql: String? = ["/usr/bin/psql", "/usr/local/bin/psql"].first { (path: String) in access(path, X_OK) == 0 }

    /// Starts `sluice serve` on a free port; returns the process and the port it printed. `extraArguments` go to
    /// `serve` (`--users-file`, …).
    static func startServer(_ dir: TemporaryDirectory, extraArguments: [String] = []) throws -> (ChildProcess, Int) {
        let (server, port, _) = try startServerWithKafka(dir, extraArguments: extraArguments)
        return (server, port)
    }

    /// Starts `sluice serve` with both listeners on free ports; returns the process, the PostgreSQL and Kafka ports.
    static func startServerWithKafka(_ dir: TemporaryDirectory, extraArguments: [String] = []) throws -> (ChildProcess, Int, Int) {
        let server = ChildProcess([sluiceBinary(), "serve", "--data-dir", dir.path, "--pg-port", "0", "--kafka-port", "0",
                                   "--maintenance-interval", "1", "--stop-with-parent"] + extraArguments)
        var port = 0
        var kafkaPort = 0
        while port == 0, let line = server.readLine() {
            if let range = line.range(of: "PostgreSQL wire on 127.0.0.1:") {
                port = Int(line[range.upperBound...].prefix(while: \.isNumber)) ?? 0
            }
            if let range = line.range(of: "Kafka wire on 127.0.0.1:") {
                kafkaPort = Int(line[range.upperBound...].prefix(while: \.isNumber)) ?? 0
            }
        }
        guard port > 0, kafkaPort > 0 else {
            server.terminate()
            throw TestFailure("sluice serve did not report its ports")
        }
        return (server, port, kafkaPort)
    }

    static func psql(_ port: Int, _ commands: [String], extra: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        let arguments = [psql!, "-X", "-h", "127.0.0.1", "-p", String(port), "-d", "sluice", "-v", "ON_ERROR_STOP=1"] + extra
            + commands.flatMap { ["-c", $0] }
        return runChild(arguments, seconds: 120)  // a hung psql fails its test (status 124) rather than stalling CI
    }

    /// Retries a psql query until its output contains `expected` (the engine works asynchronously), ~10 s at most.
    static func eventually(_ port: Int, _ sql: String, contains expected: String) -> String {
        var last = ""
        for _ in 0..<100 {
            last = psql(port, [sql], extra: ["-A", "-t"]).stdout
            if last.contains(expected) { return last }
            usleep(100_000)
        }
        return last
    }

    @Test(.enabled(if: psql != nil)) func createInsertAggregatePullPushAndErrors() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let setup = Self.psql(port, [
            "CREATE STREAM orders (id BIGINT KEY, user_id VARCHAR, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);",
            "INSERT INTO orders (id, user_id, amount) VALUES (1, 'u1', 10.5), (2, 'u2', 3.0), (3, 'u1', 1.0);",
            "CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM orders GROUP BY user_id EMIT CHANGES;",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(setup.stdout == "CREATE STREAM\nINSERT 0 3\nCREATE TABLE\n")
        #expect(Self.eventually(port, "SELECT * FROM totals WHERE user_id = 'u1';", contains: "u1|2|11.5") == "u1|2|11.5\n")

        let push = Self.psql(port, ["SET 'auto.offset.reset'='earliest';", "SELECT id, amount FROM orders WHERE amount > 2 EMIT CHANGES LIMIT 2;"], extra: ["-A", "-t"])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(Set(push.stdout.split(separator: "\n").dropFirst()) == ["1|10.5", "2|3"])

        let error = Self.psql(port, ["SELECT amout FROM orders EMIT CHANGES;"])
        #expect(error.status != 0)
        #expect(error.stderr.contains("column AMOUT does not exist"))
        #expect(error.stderr.contains("HINT:  did you mean AMOUNT?"))
        #expect(error.stderr.contains("^"))
        let sqlstate = Self.psql(port, ["\\set VERBOSITY verbose", "SELECT * FROM nope;"])
        #expect(sqlstate.stderr.contains("42P01"))
    }

    /// A bare push query from psql: a NOTICE says that it runs until cancelled (psql shows a simple query's rows
    /// only at its end), and Ctrl-C (psql then sends a CancelRequest) ends it mid-stream with 57014. Likewise for
    /// COPY of a push query, whose rows psql writes out as CopyData arrives.
    @Test(.enabled(if: psql != nil)) func ctrlCCancelsABarePushQueryAfterANotice() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let setup = Self.psql(port, [
            "CREATE STREAM ticks (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='ticks', VALUE_FORMAT='JSON', "
                + "PARTITIONS=1);",
            "INSERT INTO ticks (id, v) VALUES (1, 'a'), (2, 'b');",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        /// Runs `query` in psql from the earliest offset, interrupts it once the server lists it as running, and
        /// returns psql's exit status (nil if it had to be killed), stdout and stderr.
        func interrupted(_ query: String) -> (status: Int32?, stdout: String, stderr: String) {
            let client = ChildProcess([
                Self.psql!, "-X", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-d", "sluice",
                "-c", "SET 'auto.offset.reset'='earliest';", "-c", query,
            ])
            client.closeStdin()
            // A cancel that arrives before the statement runs is lost (as in PostgreSQL): wait until it runs.
            let running = (0..<300).contains { _ in
                let queries = Self.psql(port, ["SHOW QUERIES;"], extra: ["-A", "-t"]).stdout
                if queries.contains("|PUSH|RUNNING|") { return true }
                usleep(100_000)
                return false
            }
            #expect(running, "the push query never showed in SHOW QUERIES")
            usleep(500_000)  // its two rows are delivered
            client.kill(SIGINT)
            let status = client.wait(seconds: 60)
            return (status, ChildProcess.readAll(client.stdoutFD), ChildProcess.readAll(client.stderrFD))
        }
        let bare = interrupted("SELECT id, v FROM ticks EMIT CHANGES;")
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("NOTICE:  this push query runs until it is cancelled"), "\(bare.stderr)")
        #expect(bare.stderr.contains("HINT:  press Ctrl-C to stop it, add LIMIT n"), "\(bare.stderr)")
        #expect(bare.stderr.contains("ERROR:  canceling statement due to user request"), "\(bare.stderr)")
        let copy = interrupted("COPY (SELECT id, v FROM ticks EMIT CHANGES) TO STDOUT;")
        #expect(copy.status == 1)
        #expect(copy.stdout == "SET\n1\ta\n2\tb\n", "\(copy.stdout)")
        #expect(copy.stderr.contains("ERROR:  canceling statement due to user request"), "\(copy.stderr)")
        #expect(!copy.stderr.contains("NOTICE"), "\(copy.stderr)")
        // A push query with LIMIT ends by itself: no notice.
        let bounded = Self.psql(
            port, ["SET 'auto.offset.reset'='earliest';", "SELECT id FROM ticks EMIT CHANGES LIMIT 2;"])
        #expect(bounded.status == 0 && !bounded.stderr.contains("NOTICE"), "\(bounded.stderr)")
        // The PostgreSQL spelling of SET sets the same ksqlDB property; SHOW and RESET read and undo it.
        let pgStyle = Self.psql(port, [
            "SET auto.offset.reset = 'earliest';", "SHOW auto.offset.reset;", "SELECT id FROM ticks EMIT CHANGES LIMIT 2;",
            "SHOW PROPERTIES;", "RESET auto.offset.reset;", "SHOW auto.offset.reset;",
        ], extra: ["-A", "-t"])
        #expect(pgStyle.status == 0, "\(pgStyle.stderr)")
        #expect(pgStyle.stdout.hasPrefix("SET\nearliest\n1\n2\nauto.offset.reset|SESSION|earliest\n"), "\(pgStyle.stdout)")
        #expect(pgStyle.stdout.hasSuffix("RESET\nlatest\n"), "\(pgStyle.stdout)")
        // A server setting shows the PostgreSQL way too, and SET of it is refused as PostgreSQL refuses its own.
        let workers = Self.psql(port, ["SHOW sluice.workers;"], extra: ["-A", "-t"])
        #expect(workers.status == 0, "\(workers.stderr)")
        #expect(workers.stdout.split(separator: "\n").first.flatMap { Int($0) } != nil, "\(workers.stdout)")
        let fixed = Self.psql(port, ["SET sluice.workers = 8;"])
        #expect(fixed.status == 1 && fixed.stderr.contains("cannot be changed without restarting the server"), "\(fixed.stderr)")
    }

    /// `--max-connections`: a connection beyond the limit gets PostgreSQL's FATAL 53300, and one gets in again once
    /// another has left.
    @Test(.enabled(if: psql != nil)) func connectionsBeyondTheLimitGet53300() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir, extraArguments: ["--max-connections", "1"])
        defer { server.terminate() }
        // An interactive psql holds the one connection while its stdin stays open.
        let holder = ChildProcess([Self.psql!, "-X", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-d", "sluice"])
        holder.writeStdin("SELECT 'held';\n")
        #expect(holder.readLine() == "held")
        let refused = Self.psql(port, ["SELECT 1;"])  // libpq shows a start-up error without its SQLSTATE
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("FATAL:  sorry, too many clients already"), "\(refused.stderr)")
        holder.closeStdin()
        #expect(holder.wait() == 0)
        let admitted = Self.eventually(port, "SHOW PROPERTIES;", contains: "sluice.max.connections|SERVER|1")
        #expect(admitted.contains("sluice.max.connections|SERVER|1"), "\(admitted)")
    }

    /// `--users-file` with `--auth md5` and `--auth password` (scram-sha-256, the default, is the shell's test):
    /// libpq answers each method with PGPASSWORD, and a wrong password gets 28P01.
    @Test(.enabled(if: psql != nil), arguments: ["md5", "password"])
    func passwordMethodsFromAUsersFile(method: String) throws {
        let dir = TemporaryDirectory("sluice-e2e-auth")
        defer { dir.remove() }
        try writeFile(dir.path + "/users", "alice:s3cret\n")
        let (server, port) = try Self.startServer(
            dir, extraArguments: ["--users-file", dir.path + "/users", "--auth", method])
        defer { server.terminate() }
        let arguments = [
            Self.psql!, "-X", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-d", "sluice", "-U", "alice",
            "-c", "SHOW PROPERTIES;",
        ]
        let accepted = runChild(arguments, environment: ["PGPASSWORD": "s3cret"], seconds: 60)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("sluice.auth|SERVER|\(method)"), "\(accepted.stdout)")
        let refused = runChild(arguments, environment: ["PGPASSWORD": "wrong"], seconds: 60)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("password authentication failed for user \"alice\""), "\(refused.stderr)")
    }

    /// Trusting every client is the default on loopback only: on another address `serve` refuses to start without
    /// --users-file (before it binds anything) and says what to give.
    @Test func trustIsRefusedOffLoopback() throws {
        let dir = TemporaryDirectory("sluice-e2e-trust")
        defer { dir.remove() }
        let run = runSluice(
            ["serve", "--data-dir", dir.path, "--host", "0.0.0.0", "--pg-port", "0", "--kafka-port=-1"], seconds: 60)
        #expect(run.status != 0)
        #expect(run.stderr.contains("0.0.0.0 is not a loopback address: give --users-file, or --auth trust"),
                "\(run.stderr)")
        let badMethod = runSluice(["serve", "--data-dir", dir.path, "--auth", "kerberos"], seconds: 60)
        #expect(badMethod.status != 0, "\(badMethod.stderr)")
        #expect(badMethod.stderr.contains("--auth takes scram-sha-256, md5, password or trust"), "\(badMethod.stderr)")
    }

    /// DEFINE's variables apply to the SELECTs without FROM the session answers itself, and an undefined one is a
    /// syntax error whose position psql marks with its caret.
    @Test(.enabled(if: psql != nil)) func variablesApplyToConstantSelects() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let defined = Self.psql(port, ["DEFINE n = '5';", "DEFINE topic = 'orders';", "SELECT ${n} + 1 AS x, '${topic}' AS t;"],
                                extra: ["-A", "-t"])
        #expect(defined.status == 0 && defined.stdout.hasSuffix("6|orders\n"), "\(defined.stdout)\(defined.stderr)")
        let quoted = Self.psql(port, ["SELECT '${nosuch}' AS t;"])
        #expect(quoted.status == 1 && quoted.stderr.contains("variable NOSUCH is not defined"), "\(quoted.stderr)")
        let undefined = Self.psql(port, ["SELECT ${nosuch} AS x;"])
        #expect(undefined.status == 1)
        #expect(undefined.stderr.contains("LINE 1: SELECT ${nosuch} AS x;\n               ^"), "\(undefined.stderr)")
        #expect(undefined.stderr.contains("HINT:"), "\(undefined.stderr)")
        // An error in a SELECT the session answers itself points at its cause, in the second statement too.
        let substituted = Self.psql(port, ["DEFINE s = 'zz';", "SELECT '${s}' || 1 AS c;"])
        #expect(substituted.stderr.contains("LINE 1: SELECT '${s}' || 1 AS c;\n                         ^"), "\(substituted.stderr)")
        let range = Self.psql(port, ["SELECT 1; SELECT 'a' || 1 AS c;"])
        #expect(range.stderr.contains("LINE 1: SELECT 1; SELECT 'a' || 1 AS c;\n                                ^"), "\(range.stderr)")
    }

    /// psql's describe commands read the emulated pg_catalog: streams are views, tables are tables with their PRIMARY
    /// KEY as an index, names in PostgreSQL's lower case.
    @Test(.enabled(if: psql != nil)) func describeCommandsListStreamsAndTables() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let setup = Self.psql(port, [
            "CREATE STREAM orders (id BIGINT KEY, user_id VARCHAR, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);",
            "CREATE TABLE totals AS SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        func describe(_ command: String) -> [String] {
            let result = Self.psql(port, [command], extra: ["-A", "-t", "-U", "sluice"])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        #expect(describe("\\dt") == ["public|totals|table|sluice"])
        #expect(describe("\\dv").contains("public|orders|view|sluice"))
        #expect(describe("\\d").count == describe("\\dt").count + describe("\\dv").count)
        #expect(describe("\\d orders") == ["id|bigint|||", "user_id|text|||", "amount|double precision|||"])
        let totals = describe("\\d totals")
        #expect(totals.prefix(2) == ["user_id|text||not null|", "cnt|bigint|||"])
        let footer = Self.psql(port, ["\\d totals"], extra: ["-U", "sluice"]).stdout
        #expect(footer.contains("\"totals_pkey\" PRIMARY KEY, btree (user_id)"), "\(footer)")
        #expect(describe("\\dn") == ["public|sluice"])
        #expect(describe("\\l").first?.hasPrefix("sluice|sluice|UTF8") == true)
        #expect(describe("\\df").contains { $0.hasPrefix("public|count|") })
        #expect(describe("\\du").first?.hasPrefix("sluice|") == true, "\(describe("\\du"))")
        // A catalog query with an unknown relation fails like PostgreSQL.
        let error = Self.psql(port, ["\\set VERBOSITY verbose", "SELECT * FROM pg_catalog.pg_nothing;"])
        #expect(error.status != 0)
        #expect(error.stderr.contains("42P01"), "\(error.stderr)")
    }

    @Test(.enabled(if: psql != nil)) func tablesAndQueriesSurviveARestart() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        do {
            let (server, port) = try Self.startServer(dir)
            _ = Self.psql(port, [
                "CREATE STREAM clicks (user_id VARCHAR KEY, url VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');",
                "CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id EMIT CHANGES;",
                "INSERT INTO clicks (user_id, url) VALUES ('a', '/1'), ('a', '/2');",
            ])
            #expect(Self.eventually(port, "SELECT n FROM per_user WHERE user_id = 'a';", contains: "2") == "2\n")
            server.kill(SIGKILL)  // an unclean stop
            server.wait()
        }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        _ = Self.psql(port, ["INSERT INTO clicks (user_id, url) VALUES ('a', '/3');"])
        #expect(Self.eventually(port, "SELECT n FROM per_user WHERE user_id = 'a';", contains: "3") == "3\n")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func range(of needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}

extension PsqlEndToEndTests {
    /// Issue 4's restart proof: a CTAS aggregation over 100,000 records; the server is SIGKILLed while the query is
    /// still working through the first half; after the restart the second half arrives, and the table must equal
    /// the aggregate of all input: no record counted twice or missed.
    @Test(.enabled(if: psql != nil)) func aggregationSurvivesSIGKILLExactly() throws {
        let dir = TemporaryDirectory("sluice-e2e")
        defer { dir.remove() }
        let keys = 100
        func inserts(_ range: Range<Int>) -> String {
            stride(from: range.lowerBound, to: range.upperBound, by: 1_000).map { start in
                "INSERT INTO events (id, k, v) VALUES " + (start..<min(start + 1_000, range.upperBound)).map { i in
                    "(\(i), 'k\(i % keys)', \(i % 7))"
                }.joined(separator: ", ") + ";"
            }.joined(separator: "\n")
        }
        let firstHalf = dir.path + "/first.sql"
        let secondHalf = dir.path + "/second.sql"
        try write(inserts(0..<50_000), to: firstHalf)
        try write(inserts(50_000..<100_000), to: secondHalf)
        do {
            let (server, port) = try Self.startServer(dir)
            let setup = Self.psql(port, [
                "CREATE STREAM events (id BIGINT KEY, k VARCHAR, v BIGINT) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON', PARTITIONS=4);",
                "CREATE TABLE sums AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM events GROUP BY k EMIT CHANGES;",
            ])
            #expect(setup.status == 0, "\(setup.stderr)")
            let load = Self.psql(port, [], extra: ["-q", "-f", firstHalf])
            #expect(load.status == 0, "\(load.stderr)")
            server.kill(SIGKILL)  // the aggregation is still working through the first half
            server.wait()
        }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let load = Self.psql(port, [], extra: ["-q", "-f", secondHalf])
        #expect(load.status == 0, "\(load.stderr)")
        var expected: [String: (Int, Int)] = [:]
        for i in 0..<100_000 {
            let (n, total) = expected["k\(i % keys)", default: (0, 0)]
            expected["k\(i % keys)"] = (n + 1, total + i % 7)
        }
        let wanted = expected.sorted { $0.key < $1.key }.map { "\($0.key)|\($0.value.0)|\($0.value.1)" }.joined(separator: "\n") + "\n"
        var table = ""
        // At most 180 s: a debug build on a loaded 2-core machine can take over a minute for the 100,000 records.
        for _ in 0..<900 {
            table = Self.psql(port, ["SELECT k, n, total FROM sums ORDER BY k;"], extra: ["-A", "-t"]).stdout
            if table == wanted { break }
            usleep(200_000)
        }
        let progress = Self.psql(port, ["DESCRIBE sums EXTENDED;"], extra: ["-A", "-t"]).stdout
        #expect(table == wanted, "query progress: \(progress)")
    }

    /// psql's \copy sends COPY … FROM STDIN: text and CSV files append rows to a stream; a bad value is refused
    /// with its SQLSTATE and line.
    @Test(.enabled(if: psql != nil)) func copyFromStdinIngestsFiles() throws {
        let dir = TemporaryDirectory("sluice-copy")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        try write("id,name,score\n1,ann,1.5\n2,\"bob, jr\",2\n3,,3\n", to: dir.path + "/people.csv")
        try write("4\tcy\t4.5\n5\t\\N\t5\n", to: dir.path + "/people.txt")
        try write("6\tdee\tnot-a-number\n", to: dir.path + "/bad.txt")
        let setup = Self.psql(port, [
            "CREATE STREAM people (id INT KEY, name VARCHAR, score DOUBLE) WITH (KAFKA_TOPIC='people', VALUE_FORMAT='JSON', PARTITIONS=1);",
            "\\copy people FROM '\(dir.path)/people.csv' WITH (FORMAT csv, HEADER)",
            "\\copy people (id, name, score) FROM '\(dir.path)/people.txt'",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(setup.stdout.contains("COPY 3") && setup.stdout.contains("COPY 2"), "\(setup.stdout)")
        let bad = Self.psql(port, ["\\copy people FROM '\(dir.path)/bad.txt'"], extra: ["-v", "VERBOSITY=verbose"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("22P02") && bad.stderr.contains("line 1"), "\(bad.stderr)")
        let rows = Self.psql(port, ["SET 'auto.offset.reset' = 'earliest';", "SELECT id, name, score FROM people EMIT CHANGES LIMIT 5;"],
                             extra: ["-A", "-t", "-q"])
        #expect(rows.stdout == "1|ann|1.5\n2|bob, jr|2\n3||3\n4|cy|4.5\n5||5\n", "\(rows.stdout)\(rows.stderr)")
    }

    /// DECLARE … CURSOR FOR a push query, FETCH pages of it (a FETCH on a quiet stream returns after its timeout),
    /// and psql's FETCH_COUNT mode, which runs every SELECT through a cursor.
    @Test(.enabled(if: psql != nil)) func cursorsPageThroughPushQueries() throws {
        let dir = TemporaryDirectory("sluice-cursor")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let setup = Self.psql(port, [
            "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);",
            "INSERT INTO s (id, v) VALUES (1, 10), (2, 20), (3, 30);",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        let script = dir.path + "/cursor.sql"
        try write("""
            SET 'auto.offset.reset' = 'earliest';
            BEGIN;
            DECLARE c CURSOR FOR SELECT id, v FROM s EMIT CHANGES;
            FETCH 2 FROM c;
            FETCH 2 FROM c;
            FETCH 2 FROM c WITH (timeout = '200ms');
            CLOSE c;
            COMMIT;
            \\set FETCH_COUNT 2
            SELECT v FROM s EMIT CHANGES LIMIT 3;

            """, to: script)
        let run = Self.psql(port, [], extra: ["-A", "-t", "-q", "-f", script])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "1|10\n2|20\n3|30\n10\n20\n30\n", "\(run.stdout)")
        let missing = Self.psql(port, ["FETCH 1 FROM nope;"])
        #expect(missing.stderr.contains("cursor \"nope\" does not exist"), "\(missing.stderr)")
    }

    /// pgbench's parameterised key lookups: it sends `$1` without a type (OID 0), which takes the type of the key it
    /// is compared with, as in PostgreSQL; -M prepared runs the lookup through the engine's prepared pull query.
    @Test func pgbenchRunsParameterisedPullQueries() throws {
        let candidates: [String] = ["/usr/bin/pgbench", "/usr/lib/postgresql/15/bin/pgbench"]
        guard Self.psql != nil, let pgbench = candidates.first(where: { (path: String) in access(path, X_OK) == 0 }) else {
            DriversEndToEndTests.clientMissing("psql or pgbench is not installed (apt-get install postgresql-client postgresql-15)")
            return
        }
        let dir = TemporaryDirectory("sluice-pgbench")
        defer { dir.remove() }
        let (server, port) = try Self.startServer(dir)
        defer { server.terminate() }
        let values = (1...100).map { "(\($0), 'value-\($0)')" }.joined(separator: ", ")
        let setup = Self.psql(port, [
            "CREATE STREAM kvs (k INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='kvs', VALUE_FORMAT='JSON', PARTITIONS=1);",
            "CREATE TABLE kv AS SELECT k, LATEST_BY_OFFSET(v) AS v FROM kvs GROUP BY k EMIT CHANGES;",
            "INSERT INTO kvs (k, v) VALUES \(values);",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(Self.eventually(port, "SELECT v FROM kv WHERE k = 100;", contains: "value-100").contains("value-100"))
        try write("\\set k random(1, 100)\nSELECT k, v FROM kv WHERE k = :k;\n", to: dir.path + "/pull.sql")
        for mode in ["extended", "prepared"] {
            let run = runChild([pgbench, "-n", "-h", "127.0.0.1", "-p", String(port), "-U", "bench", "-f", dir.path + "/pull.sql",
                                "-M", mode, "-c", "2", "-t", "50", "sluice"], seconds: 120)
            #expect(run.status == 0, "\(mode): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("number of transactions actually processed: 100/100"), "\(mode): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("number of failed transactions: 0 "), "\(mode): \(run.stdout)")
        }
    }

    func write(_ text: String, to path: String) throws {
        let file = try PosixFileSystem().openFile(path, create: true)
        defer { file.close() }
        try Array(text.utf8).withUnsafeBytes { try file.write($0, at: 0) }
    }
}
