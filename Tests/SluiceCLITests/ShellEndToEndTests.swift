import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice shell` against the real `sluice serve`: non-interactively (-c, -f, stdin) and, under tmux, in a
/// real terminal with readline (live push rows, Ctrl-C, Up arrow, Tab, caret, Ctrl-D).
@Suite(.serialized) struct ShellEndToEndTests {
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { access($0, X_OK) == 0 }

    static let createAndInsert = """
        CREATE STREAM orders (id BIGINT KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
        INSERT INTO orders (id, item) VALUES (1, 'apple'), (2, NULL), (3, '名前');
        """

    @Test func nonInteractiveCommandsFilesStdinAndExitCodes() throws {
        let dir = TemporaryDirectory("sluice-shell")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer {
            server.kill(SIGTERM)
            server.wait()
        }
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
        let text = "SELECT * FROM nope;\n\\o\nOUTPUT CSV;\nDESCRIBE orders;\n"
        let handle = try #require(fopen(script, "w"))
        fputs(text, handle)
        fclose(handle)
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

        let unreachable = runSluice(["shell", "-h", "127.0.0.1", "-p", "1", "-c", "SELECT 1;"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("sluice shell: could not connect"))
    }

    // MARK: - Interactive, under tmux

    /// A tmux server of our own (`-L` socket), so the test never touches anyone else's sessions.
    struct Terminal {
        let socket = "sluice-shell-test-\(getpid())"
        let session = "shell"

        @discardableResult
        func tmux(_ arguments: [String]) -> String {
            let child = ChildProcess([ShellEndToEndTests.tmux!, "-L", socket] + arguments)
            child.closeStdin()
            let out = ChildProcess.readAll(child.stdoutFD)
            child.wait()
            return out
        }

        func type(_ text: String) { tmux(["send-keys", "-t", session, "-l", text]) }
        /// Types `text` and a `;` (sent as hex: tmux reads a trailing `;` as its own command separator) and Enter.
        func run(_ text: String) {
            type(text)
            tmux(["send-keys", "-t", session, "-H", "3b"])
            tmux(["send-keys", "-t", session, "Enter"])
        }
        func key(_ name: String) { tmux(["send-keys", "-t", session, name]) }
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
            print(
                "ShellEndToEndTests.interactiveShellInARealTerminal skipped: tmux is not installed (apt-get install tmux)"
            )
            return
        }
        let dir = TemporaryDirectory("sluice-shell-tty")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer {
            server.kill(SIGTERM)
            server.wait()
        }
        let setup = runSluice(["shell", "-p", String(port), "-c", Self.createAndInsert])
        #expect(setup.status == 0, "\(setup.stderr)")

        let terminal = Terminal()
        defer { terminal.shutdown() }
        let command = "\(sluiceBinary()) shell -p \(port) --history-file \(dir.path)/history"
        terminal.tmux(["new-session", "-d", "-s", terminal.session, "-x", "200", "-y", "50", command])
        #expect(terminal.waitFor { $0.contains("sluice> ") }.contains("Connected to 127.0.0.1:\(port)"))

        // A push query prints rows live: the three inserted, then one inserted while it runs.
        terminal.run("SET 'auto.offset.reset'='earliest'")
        terminal.waitFor { $0.contains("SET") }
        terminal.run("SELECT id, item FROM orders EMIT CHANGES")
        #expect(terminal.waitFor { $0.contains(" 3        | 名前") }.contains("    id    |   item"))
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

        // Ctrl-C at the prompt drops a half-typed multi-line statement.
        terminal.key("C-l")
        terminal.type("SELECT 1,")
        terminal.key("Enter")
        terminal.type(" 2")
        terminal.waitFor { $0.contains("sluice->  2") }
        terminal.key("C-c")
        terminal.waitFor { $0.hasSuffixLine("sluice> ") }
        terminal.run("SHOW STREAMS")
        let afterInterrupt = terminal.waitFor { $0.contains("(1 row)") }
        #expect(afterInterrupt.contains(" ORDERS "), "\(afterInterrupt)")
        #expect(!afterInterrupt.contains("ERROR"), "\(afterInterrupt)")

        // Ctrl-D on an empty line exits and the history was saved.
        terminal.key("C-d")
        for _ in 0..<100 where terminal.isAlive { usleep(50_000) }
        #expect(!terminal.isAlive)
        let fd = open(dir.path + "/history", O_RDONLY)
        let history = fd >= 0 ? ChildProcess.readAll(fd) : ""
        if fd >= 0 { close(fd) }
        #expect(history.hasPrefix("SET 'auto.offset.reset'='earliest';\n"), "\(history)")
        #expect(history.contains("SELECT * FORM orders;\n"))
    }
}

extension ShellEndToEndTests {
    /// With a users file the server asks for a password: a wrong PGPASSWORD exits with 2, and the interactive shell
    /// prompts for the password and connects.
    @Test func passwordPromptWhenTheServerAsksForOne() throws {
        guard Self.tmux != nil else {
            print("ShellEndToEndTests.passwordPromptWhenTheServerAsksForOne skipped: tmux is not installed")
            return
        }
        let dir = TemporaryDirectory("sluice-shell-auth")
        defer { dir.remove() }
        let users = try #require(fopen(dir.path + "/users", "w"))
        fputs("alice:s3cret\n", users)
        fclose(users)
        let server = ChildProcess([
            sluiceBinary(), "serve", "--data-dir", dir.path + "/data", "--pg-port", "0", "--kafka-port", "0", "--users-file",
            dir.path + "/users",
        ])
        defer {
            server.kill(SIGTERM)
            server.wait()
        }
        var port = 0
        while port == 0, let line = server.readLine() {
            if let range = line.range(of: "PostgreSQL wire on 127.0.0.1:") {
                port = Int(line[range.upperBound...].prefix(while: \.isNumber)) ?? 0
            }
        }
        try #require(port > 0)

        let refused = runSluice([
            "shell", "-p", String(port), "-U", "alice", "postgres://alice:wrong@127.0.0.1:\(port)/sluice", "-c",
            "SHOW STREAMS;",
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")

        let terminal = Terminal()
        defer { terminal.shutdown() }
        let command = "\(sluiceBinary()) shell -p \(port) -U alice --history-file \(dir.path)/history"
        terminal.tmux(["new-session", "-d", "-s", terminal.session, "-x", "200", "-y", "50", command])
        #expect(terminal.waitFor { $0.contains("Password:") }.contains("Password:"))  // capture-pane drops trailing blanks
        terminal.type("s3cret")
        terminal.key("Enter")
        let banner = terminal.waitFor { $0.contains("sluice> ") }
        #expect(banner.contains("Connected to 127.0.0.1:\(port) as alice"), "\(banner)")
        terminal.key("C-d")
    }
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
