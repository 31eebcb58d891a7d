import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice serve` driven by the Python drivers users reach for: psycopg2 (text results, client-side
/// parameters), psycopg 3 (server-side parameters), pg8000 and asyncpg (named statements, binary results).
/// Clients/drivers.py holds the checks. `make test` installs the drivers and sets SLUICE_REQUIRE_CLIENTS=1, so CI
/// cannot skip this; a bare `swift test` without them skips it with a message.
@Suite(.serialized) struct DriversEndToEndTests {
    static let script: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Clients/drivers.py"
    }()

    /// Whether python3 imports all four drivers; if not, the reason.
    static let missing: String? = {
        let probe = ChildProcess(["/usr/bin/env", "python3", "-c", "import psycopg2, psycopg, pg8000, asyncpg"])
        probe.closeStdin()
        let err = ChildProcess.readAll(probe.stderrFD)
        return probe.wait() == 0 ? nil : "python3 lacks a driver (pip install psycopg2-binary 'psycopg[binary]' pg8000 asyncpg): \(err)"
    }()

    static var required: Bool { getenv("SLUICE_REQUIRE_CLIENTS").map { String(cString: $0) == "1" } ?? false }

    @Test func psycopg2Psycopg3Pg8000AndAsyncpg() throws {
        if let missing = Self.missing {
            if Self.required { Issue.record("SLUICE_REQUIRE_CLIENTS=1 but \(missing)") } else { print("skipped: \(missing)") }
            return
        }
        let dir = TemporaryDirectory("sluice-drivers")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer {
            server.kill(SIGTERM)
            _ = server.wait()
        }
        let run = ChildProcess(["/usr/bin/env", "timeout", "120", "python3", Self.script, String(port)])
        run.closeStdin()
        let out = ChildProcess.readAll(run.stdoutFD)
        let err = ChildProcess.readAll(run.stderrFD)
        let status = run.wait()
        #expect(status == 0, "\(out)\(err)")
        #expect(out == "OK\n", "\(err)")
    }
}
