import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice shell` against the real `sluice serve`: non-interactively (-c, -f, stdin) and, under tmux, in a
/// real terminal with readline (live push rows, Ctrl-C, Up arrow, Tab, caret, Ctrl-D).
@Suite(.serialized) struct ShellEndToEndTests {
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { access($0, X_OK) == 0 }

    /// Wider than the 200-column tmux window.
    static let wideValue = String(repeating: "w", count: 230)

    static let createAndInsert = """
        CREATE STREAM orders (id BIGINT KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
        INSERT INTO orders (id, item) VALUES (1, 'apple'), (2, NULL), (3, '名前');
        """

    @Test func nonInteractiveCommandsFilesStdinAndExitCodes() throws {
        let dir = TemporaryDirectory("sluice-shell")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir, extraArguments: ["--event-loops", "3"])
        defer { server.terminate() }
        let p = String(port)

        let setup = runSluice(["shell", "-p", p, "-c", Self.createAndInsert])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(setup.stdout == "CREATE STREAM\nINSERT 0 3\n")

        let push = runSluice([
            "shell", "-p", p, "-c",
            "SET 'auto.offset.reset'='earliest'; SELECT id, item FROM orders EMIT CHANGES LIMIT 3;",
        ])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("    id    |   item\n----------+----------\n"))
        #expect(push.stdout.contains(" 2        | NULL\n"))
        #expect(push.stdout.contains(" 3        | 名前\n"))
        #expect(push.stdout.hasSuffix("(3 rows)\n"))

        let syntax = runSluice(["shell", "-p", p, "-c", "SELECT * FORM orders;", "-c", "SHOW STREAMS;"])
        #expect(syntax.status == 1)
        #expect(syntax.stdout == "", "the second -c must not run after an error")
        #expect(syntax.stderr.contains("ERROR:  42601: "))
        #expect(syntax.stderr.contains("LINE 1: SELECT * FORM orders\n                 ^\n"))
        #expect(syntax.stderr.contains("HINT:  did you mean FROM?"))

        let script = dir.path + "/script.sql"
        try writeFile(script, "SELECT * FROM nope;\n\\o\nOUTPUT CSV;\nDESCRIBE orders;\n")
        let file = runSluice(["shell", "-p", p, "-f", script])
        #expect(file.status == 1)
        #expect(file.stderr.contains("42P01"))
        #expect(!file.stdout.contains("ID,BIGINT"))
        let continued = runSluice(["shell", "-p", p, "-f", script, "--continue-on-error"])
        #expect(continued.status == 1)
        #expect(continued.stdout.contains("field,type\nID,BIGINT (key)\nITEM,STRING\n"), "\(continued.stdout)")

        let piped = runSluice(["shell", "-p", p], stdin: "OUTPUT JSON;\nSHOW\n  STREAMS;\n")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("{\"stream name\":\"ORDERS\""), "\(piped.stdout)")

        // Piped output is never cut to a terminal width.
        let wide = runSluice(["shell", "-p", p, "-c", "SELECT '\(Self.wideValue)' AS wide;"])
        #expect(wide.stdout.contains(" \(Self.wideValue)\n"), "\(wide.stdout)")

        // SHOW PROPERTIES lists what SET changes (SESSION) and the server's settings (SERVER).
        let properties = runSluice([
            "shell", "-p", p, "-c", "SET 'auto.offset.reset'='earliest';", "-c", "OUTPUT CSV;", "-c",
            "SHOW PROPERTIES;",
        ])
        #expect(properties.stdout.contains("property,scope,value\nauto.offset.reset,SESSION,earliest\n"))
        #expect(properties.stdout.contains("sluice.workers,SERVER,2\n"), "\(properties.stdout)")
        #expect(properties.stdout.contains("sluice.auth,SERVER,trust\n"))
        #expect(properties.stdout.contains("sluice.event.loops,SERVER,3\n"))  // --event-loops 3

        let unreachable = runSluice(["shell", "-h", "127.0.0.1", "-p", "1", "-c", "SELECT 1;"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("sluice shell: could not connect"))
    }

    /// The meta-commands and ksqlDB CLI words, run from a -f script: `\timing`, `\x`, `\set` / DEFINE variables,
    /// `\o` / SPOOL to files, `\i` / RUN SCRIPT, `\d` shortcuts and `\?`.
    @Test func metaCommandsFromAScript() throws {
        let dir = TemporaryDirectory("sluice-shell-meta")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer { server.terminate() }
        let d = dir.path
        try writeFile(d + "/included.sql", "SELECT 'included' AS i;\n")
        try writeFile(
            d + "/script.sql",
            """
            CREATE STREAM orders (id BIGINT KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');
            \\timing on
            SHOW TABLES;
            \\timing off
            \\x on
            SELECT 1 AS one, NULL AS nothing;
            \\x
            \\set item 'apple'
            DEFINE n = '7';
            SELECT '${item}' AS v, ${n} + 1 AS n;
            \\o \(d)/o.txt
            SHOW TABLES;
            \\o
            SPOOL \(d)/spool.txt;
            \\d orders
            SPOOL OFF;
            \\i \(d)/included.sql
            RUN SCRIPT '\(d)/included.sql';
            \\dt
            \\?

            """)
        let run = runSluice(["shell", "-p", String(port), "-f", d + "/script.sql"])
        #expect(run.status == 0, "\(run.stderr)")
        let tables =
            " table name | kafka topic | key format | value format | windowed\n"
            + "------------+-------------+------------+--------------+----------\n(0 rows)\n"
        let included = "    i\n----------\n included\n(1 row)\n"
        let out = run.stdout
        #expect(out.hasPrefix("CREATE STREAM\nTiming is on.\n" + tables + "Time: "), "\(out)")
        #expect(
            out.contains(
                "Timing is off.\nExpanded display is on.\n-[ RECORD 1 ]\none     | 1\nnothing | NULL\n"
                    + "Expanded display is off.\n   v   | n\n-------+---\n apple | 8\n(1 row)\n" + included + included
                    + tables + "General\n"))
        #expect(out.hasSuffix("Ctrl-C cancels the running query; Ctrl-D on an empty line exits.\n"))
        let o = open(d + "/o.txt", O_RDONLY)
        #expect(o >= 0 && ChildProcess.readAll(o) == tables)
        let spool = open(d + "/spool.txt", O_RDONLY)
        #expect(spool >= 0 && ChildProcess.readAll(spool).contains(" ID    | BIGINT (key)\n ITEM  | STRING\n"))
        close(o)
        close(spool)
    }

    /// PostgreSQL's server binaries (initdb, postgres), if installed.
    static let postgresBin: String? = [
        "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin",
    ]
    .first { access($0 + "/initdb", X_OK) == 0 }

    /// The shell against PostgreSQL itself (initdb in a temporary directory, then `postgres` on a free port): the
    /// -h/-p/-U/-d flags, results with NULL and wide characters, and a syntax error with its caret.
    @Test func worksAgainstPostgreSQLItself() throws {
        guard let bin = Self.postgresBin else {
            DriversEndToEndTests.clientMissing("PostgreSQL's server is not installed (apt-get install postgresql-15)")
            return
        }
        let dir = TemporaryDirectory("sluice-shell-pg")
        defer { dir.remove() }
        // initdb and postgres refuse to run as root: drop to the postgres user, without a forking wrapper so that
        // the signal below reaches postgres itself.
        var asUser: [String] = []
        if getuid() == 0 {
            let user = try #require(getpwnam("postgres"), "running as root needs a postgres user")
            try #require(chown(dir.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0)
            asUser = ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
        }
        let initdb = runChild(asUser + [bin + "/initdb", "-D", dir.path + "/data", "-A", "trust", "-U", "postgres", "-N"], seconds: 120)
        try #require(initdb.status == 0, "\(initdb.stdout)\(initdb.stderr)")
        let port = try freePort()
        let server = ChildProcess(
            asUser + [
                bin + "/postgres", "-D", dir.path + "/data", "-p", String(port), "-k", dir.path, "-c",
                "listen_addresses=127.0.0.1",
            ])
        defer {
            server.kill(SIGINT)  // fast shutdown
            server.wait()
        }
        let connect = ["shell", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres"]
        // PostgreSQL takes a while to start when the machine is busy (tests run in parallel): wait up to a minute.
        var ready = false
        for _ in 0..<600 where !ready {
            ready = runSluice(connect + ["-c", "SELECT 1;"]).status == 0
            if !ready { usleep(100_000) }
        }
        if !ready {
            server.kill(SIGINT)
            let log = ChildProcess.readAll(server.stderrFD)
            try #require(Bool(false), "PostgreSQL did not accept connections within a minute: \(log)")
        }

        let run = runSluice(
            connect + [
                "-c", "CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, NULL), (2, '名前');", "-c",
                "SELECT * FROM t ORDER BY a;", "-c", "SELECT * FORM t;",
            ])
        #expect(run.status == 1)
        #expect(run.stdout == "CREATE TABLE\nINSERT 0 2\n a |  b\n---+------\n 1 | NULL\n 2 | 名前\n(2 rows)\n")
        #expect(
            run.stderr.contains(
                "ERROR:  42601: syntax error at or near \"FORM\"\nLINE 1: SELECT * FORM t\n                 ^"),
            "\(run.stderr)")

        // Interactively, a CREATE inside a transaction commits: the shell's catalog refresh (SHOW STREAMS, which
        // PostgreSQL does not know) must not run there and abort the transaction.
        guard Self.tmux != nil else {
            DriversEndToEndTests.clientMissing("tmux is not installed (apt-get install tmux)")
            return
        }
        let terminal = Terminal()
        defer { terminal.shutdown() }
        terminal.start("\(sluiceBinary()) \(connect.joined(separator: " ")) --history-file \(dir.path)/history")
        #expect(terminal.waitFor { $0.contains("sluice>") }.contains("server PostgreSQL 1"))
        terminal.run("BEGIN")
        terminal.run("CREATE TABLE u (a int)")
        terminal.run("INSERT INTO u VALUES (1)")
        terminal.run("COMMIT")
        let committed = terminal.waitFor { $0.contains("COMMIT\n") || $0.contains("ROLLBACK\n") }
        #expect(committed.contains("INSERT 0 1\n") && committed.contains("COMMIT\n"), "\(committed)")
    }

    // MARK: - Interactive, under tmux

    /// A tmux server of our own (`-L` socket), so the test never touches anyone else's sessions.
    struct Terminal {
        /// A socket of its own per terminal: kill-server returns before the server is gone, so a next test reusing
        /// the name could reach the dying server and its old session.
        let socket = "sluice-shell-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var session = "shell"

        @discardableResult
        func tmux(_ arguments: [String]) -> String {
            runChild([ShellEndToEndTests.tmux!, "-L", socket] + arguments).stdout
        }

        /// Runs `command` (through sh) in a new 200×50 window.
        func start(_ command: String) {
            tmux(["new-session", "-d", "-s", session, "-x", "200", "-y", "50", command])
        }

        func type(_ text: String) { tmux(["send-keys", "-t", session, "-l", text]) }
        /// Types `text` and a `;` (sent as hex: tmux reads a trailing `;` as its own command separator) and Enter.
        func run(_ text: String) {
            type(text)
            tmux(["send-keys", "-t", session, "-H", "3b"])
            tmux(["send-keys", "-t", session, "Enter"])
        }
        func key(_ name: String) { tmux(["send-keys", "-t", session, name]) }
        /// The visible screen. capture-pane drops trailing blanks: a prompt shows as `sluice>`, not `sluice> `.
        func screen() -> String { tmux(["capture-pane", "-p", "-t", session]) }

        /// Polls the screen until `predicate` holds, at most `seconds`; returns the last screen.
        @discardableResult
        func waitFor(_ seconds: Double = 10, _ predicate: (String) -> Bool) -> String {
            var last = ""
            for _ in 0..<Int(seconds * 20) {
                last = screen()
                if predicate(last) { return last }
                usleep(50_000)
            }
            return last
        }

        var isAlive: Bool { tmux(["list-sessions"]).contains(session) }
        func shutdown() { tmux(["kill-server"]) }
    }

    @Test func interactiveShellInARealTerminal() throws {
        guard Self.tmux != nil else {
            DriversEndToEndTests.clientMissing("tmux is not installed (apt-get install tmux)")
            return
        }
        let dir = TemporaryDirectory("sluice-shell-tty")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer { server.terminate() }
        let terminal = Terminal()
        defer { terminal.shutdown() }
        // `swift test` sets NO_COLOR=1; this shell runs without it, the password test's with it.
        terminal.start("env -u NO_COLOR \(sluiceBinary()) shell -p \(port) --history-file \(dir.path)/history")
        let banner = terminal.waitFor { $0.contains("sluice>") }
        let version = String(runSluice(["--version"]).stdout.prefix { $0 != "\n" })
        #expect(banner.contains("sluice shell \(version) (libpq "), "\(banner)")
        #expect(banner.contains("Connected to 127.0.0.1:\(port) as "))
        #expect(banner.contains(", server Sluice \(version) (PostgreSQL 15.0)."))

        // A statement typed over two lines runs at its `;`; the second line has the continuation prompt.
        terminal.type("CREATE STREAM orders (id BIGINT KEY, item VARCHAR)")
        terminal.key("Enter")
        terminal.run("WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1)")
        let created = terminal.waitFor { $0.contains("CREATE STREAM\n") }
        #expect(created.contains("sluice-> WITH (KAFKA_TOPIC='orders'"), "\(created)")
        terminal.run("INSERT INTO orders (id, item) VALUES (1, 'apple'), (2, NULL), (3, '名前')")
        #expect(terminal.waitFor { $0.contains("INSERT 0 3") }.contains("INSERT 0 3"))

        // A push query prints rows live: the three inserted, then one inserted while it runs. NULL is dimmed.
        terminal.run("SET 'auto.offset.reset'='earliest'")
        terminal.waitFor { $0.contains("SET\n") }
        terminal.run("SELECT id, item FROM orders EMIT CHANGES")
        #expect(terminal.waitFor { $0.contains(" 3        | 名前") }.contains("    id    |   item"))
        #expect(terminal.tmux(["capture-pane", "-p", "-e", "-t", terminal.session]).contains("\u{1B}[2mNULL"))
        let insert = runSluice(["shell", "-p", String(port), "-c", "INSERT INTO orders (id, item) VALUES (4, 'live');"])
        #expect(insert.status == 0)
        #expect(terminal.waitFor { $0.contains(" 4        | live") }.contains(" 4        | live"))

        // Ctrl-C cancels it; the prompt comes back on the same connection.
        terminal.key("C-c")
        let cancelled = terminal.waitFor { $0.contains("57014") && $0.hasSuffixLine("sluice> ") }
        #expect(cancelled.contains("ERROR:  57014"), "\(cancelled)")
        terminal.key("C-l")

        // Up arrow recalls the last statement.
        terminal.key("Up")
        #expect(
            terminal.waitFor { $0.contains("sluice> SELECT id, item FROM orders EMIT CHANGES;") }
                .contains("sluice> SELECT id, item FROM orders EMIT CHANGES;"))
        terminal.key("C-u")

        // Tab completes a stream name from the server's catalog.
        terminal.type("DESCRIBE ORD")
        terminal.key("Tab")
        #expect(terminal.waitFor { $0.contains("DESCRIBE ORDERS") }.contains("DESCRIBE ORDERS"))
        terminal.key("C-u")
        terminal.key("C-l")

        // A syntax error shows a caret under the offending token.
        terminal.run("SELECT * FORM orders")
        let error = terminal.waitFor { $0.contains("HINT") }
        #expect(error.contains("LINE 1: SELECT * FORM orders\n                 ^"), "\(error)")

        // Ctrl-R searches the history backwards.
        terminal.key("C-r")
        terminal.type("FORM")
        let search = terminal.waitFor { $0.contains("(reverse-i-search)") }
        #expect(search.contains("(reverse-i-search)`FORM': SELECT * FORM orders;"), "\(search)")
        terminal.key("C-g")

        // Tab completes a column name fetched with DESCRIBE.
        terminal.type("SELECT IT")
        terminal.key("Tab")
        #expect(terminal.waitFor { $0.contains("SELECT ITEM") }.contains("SELECT ITEM"))
        terminal.key("C-u")

        // A value wider than the terminal is cut with `…` so its row fits the 200 columns: " " + 198 columns.
        terminal.key("C-l")
        terminal.run("SELECT '\(Self.wideValue)' AS wide")
        let cut = terminal.waitFor { $0.contains("(1 row)") }
        #expect(cut.contains("\n " + String(repeating: "w", count: 197) + "…\n"), "\(cut)")

        // Ctrl-C at the prompt drops a half-typed multi-line statement.
        terminal.key("C-l")
        terminal.type("SELECT 1,")
        terminal.key("Enter")
        terminal.type(" 2")
        terminal.waitFor { $0.contains("sluice->  2") }
        terminal.key("C-c")
        terminal.waitFor { $0.hasSuffixLine("sluice> ") }
        terminal.run("SHOW STREAMS")
        let afterInterrupt = terminal.waitFor { $0.contains("(2 rows)") }  // ORDERS and KSQL_PROCESSING_LOG
        #expect(afterInterrupt.contains(" ORDERS "), "\(afterInterrupt)")
        #expect(!afterInterrupt.contains("ERROR"), "\(afterInterrupt)")

        // Ctrl-D on an empty line exits and the history was saved.
        terminal.key("C-d")
        for _ in 0..<100 where terminal.isAlive { usleep(50_000) }
        #expect(!terminal.isAlive)
        let fd = open(dir.path + "/history", O_RDONLY)
        let history = fd >= 0 ? ChildProcess.readAll(fd) : ""
        if fd >= 0 { close(fd) }
        #expect(
            history.hasPrefix(
                "CREATE STREAM orders (id BIGINT KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', "
                    + "PARTITIONS=1);\nINSERT INTO orders"), "\(history)")
        #expect(history.contains("SELECT * FORM orders;\n"))
    }
}

extension ShellEndToEndTests {
    /// A server with a users file, so it asks for a password (alice's is s3cret).
    static func startServerAskingForPasswords(_ dir: TemporaryDirectory) throws -> (ChildProcess, Int) {
        try writeFile(dir.path + "/users", "alice:s3cret\n")
        return try PsqlEndToEndTests.startServer(dir, extraArguments: ["--users-file", dir.path + "/users"])
    }

    /// ~/.pgpass (a 0600 file in HOME) supplies the password: `-c` connects without prompting. Without the file
    /// the same command fails (stdin is not a terminal, so there is no prompt), and so does a wrong password.
    @Test func pgpassSuppliesThePassword() throws {
        let dir = TemporaryDirectory("sluice-shell-pgpass")
        defer { dir.remove() }
        let (server, port) = try Self.startServerAskingForPasswords(dir)
        defer { server.terminate() }
        let home = dir.path + "/home"
        try #require(mkdir(home, 0o700) == 0)
        let command = ["shell", "-p", String(port), "-U", "alice", "-c", "SELECT 1 AS one;"]

        let missing = runSluice(command, environment: ["HOME": home])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no password supplied"), "\(missing.stderr)")

        try writeFile(home + "/.pgpass", "127.0.0.1:\(port):*:alice:s3cret\n")
        try #require(chmod(home + "/.pgpass", 0o600) == 0)
        let found = runSluice(command, environment: ["HOME": home])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout == " one\n-----\n 1\n(1 row)\n")

        // Without flags, the PG* variables say where and who; PGPASSWORD supplies the password.
        let fromEnvironment = runSluice(
            ["shell", "-c", "SELECT current_database() AS db;"],
            environment: ["HOME": home + "/nowhere", "PGHOST": "127.0.0.1", "PGPORT": String(port), "PGUSER": "alice",
                          "PGPASSWORD": "s3cret", "PGDATABASE": "sluice"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stdout == "   db\n--------\n sluice\n(1 row)\n", "\(fromEnvironment.stdout)")
        let otherDatabase = runSluice(
            ["shell", "-c", "SELECT 1;"],
            environment: ["HOME": home, "PGHOST": "127.0.0.1", "PGPORT": String(port), "PGUSER": "alice", "PGDATABASE": "elsewhere"])
        #expect(otherDatabase.status == 2 && otherDatabase.stderr.contains("3D000"), "\(otherDatabase.stderr)")

        let wrong = runSluice(["shell", "postgres://alice:wrong@127.0.0.1:\(port)/sluice", "-c", "SELECT 1;"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("28P01: password authentication failed for user \"alice\""), "\(wrong.stderr)")
    }

    /// connect_timeout (here in the URL) bounds the wait for a server that accepts the connection but never answers.
    @Test func connectTimeoutGivesUpOnASilentServer() throws {
        let (fd, port) = try boundSocket(listening: true)
        defer { close(fd) }
        let run = runSluice(["shell", "postgres://127.0.0.1:\(port)/sluice?connect_timeout=2", "-c", "SELECT 1;"], seconds: 60)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("timeout expired"), "\(run.stderr)")
    }

    /// In a terminal the shell prompts when the server asks for a password: the right one connects and runs a
    /// statement; a wrong one prints 28P01 and exits with status 2.
    @Test func passwordPromptWhenTheServerAsksForOne() throws {
        guard Self.tmux != nil else {
            DriversEndToEndTests.clientMissing("tmux is not installed (apt-get install tmux)")
            return
        }
        let dir = TemporaryDirectory("sluice-shell-auth")
        defer { dir.remove() }
        let (server, port) = try Self.startServerAskingForPasswords(dir)
        defer { server.terminate() }
        // HOME without a .pgpass; the window stays open after the shell exits so its status can be read.
        let shell =
            "HOME=\(dir.path) NO_COLOR=1 \(sluiceBinary()) shell -p \(port) -U alice --history-file \(dir.path)/history"
        let command = "\(shell); echo \"exit=$?\"; sleep 60"
        let terminal = Terminal()
        defer { terminal.shutdown() }

        terminal.start(command)
        #expect(terminal.waitFor { $0.contains("Password:") }.contains("Password:"))
        terminal.type("s3cret")
        terminal.key("Enter")
        let banner = terminal.waitFor { $0.contains("sluice>") }
        #expect(banner.contains("Connected to 127.0.0.1:\(port) as alice"), "\(banner)")
        terminal.run("SELECT 41 + 1 AS answer")
        #expect(terminal.waitFor { $0.contains("(1 row)") }.contains(" answer\n--------\n 42\n"))
        #expect(!terminal.tmux(["capture-pane", "-p", "-e", "-t", terminal.session]).contains("\u{1B}[1m"), "NO_COLOR")
        terminal.key("C-d")
        #expect(terminal.waitFor { $0.contains("exit=") }.contains("exit=0"))

        var second = terminal
        second.session = "refused"
        second.start(command)
        #expect(second.waitFor { $0.contains("Password:") }.contains("Password:"))
        second.type("wrong")
        second.key("Enter")
        let refused = second.waitFor { $0.contains("exit=") }
        #expect(refused.contains("28P01: password authentication failed for user \"alice\""), "\(refused)")
        #expect(refused.contains("exit=2"))
        #expect(!refused.contains("sluice> "))
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot pick their own, like postgres).
func freePort() throws -> Int {
    let (fd, port) = try boundSocket(listening: false)
    close(fd)
    return port
}

/// A TCP socket bound to a free port on 127.0.0.1, listening when asked (the kernel then completes handshakes that
/// nobody accepts); the caller closes it.
func boundSocket(listening: Bool) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound, !listening || listen(fd, 8) == 0 else {
        close(fd)
        throw TestFailure("cannot bind a free port: errno \(errno)")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// Writes `text` to a new file at `path`.
func writeFile(_ path: String, _ text: String) throws {
    guard let handle = fopen(path, "w") else { throw TestFailure("cannot create \(path)") }
    fputs(text, handle)
    fclose(handle)
}

extension String {
    /// Whether the last non-blank line of a captured screen is exactly `line` (trailing spaces ignored).
    fileprivate func hasSuffixLine(_ line: String) -> Bool {
        let last = split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init) ?? ""
        var trimmed = line
        while trimmed.last == " " { trimmed.removeLast() }
        var lastTrimmed = last
        while lastTrimmed.last == " " { lastTrimmed.removeLast() }
        return lastTrimmed == trimmed
    }
}
