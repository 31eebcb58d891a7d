import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice serve` driven by the Python drivers users reach for: psycopg2 (text results, client-side
/// parameters), psycopg 3 (server-side parameters), pg8000 and asyncpg (named statements, binary results).
/// Clients/drivers.py holds the checks. `make test` installs the drivers and sets SLUICE_REQUIRE_CLIENTS=1, so CI
/// cannot skip this; a bare `swift test` without them skips it with a message.
@Suite(.serialized) struct DriversEndToEndTests {
    static let clients: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Clients/"
    }()
    static let script = clients + "drivers.py"

    /// Whether python3 imports all four drivers; if not, the reason.
    static let missing: String? = {
        let probe = ChildProcess(["/usr/bin/env", "python3", "-c", "import psycopg2, psycopg, pg8000, asyncpg"])
        probe.closeStdin()
        let err = ChildProcess.readAll(probe.stderrFD)
        return probe.wait() == 0 ? nil : "python3 lacks a driver (pip install psycopg2-binary 'psycopg[binary]' pg8000 asyncpg): \(err)"
    }()

    /// Whether python3 imports kafka-python; if not, the reason.
    static let missingKafkaPython: String? = {
        let probe = ChildProcess(["/usr/bin/env", "python3", "-c", "import kafka, confluent_kafka, aiokafka"])
        probe.closeStdin()
        let err = ChildProcess.readAll(probe.stderrFD)
        return probe.wait() == 0 ? nil : "python3 lacks a Kafka client (pip install kafka-python confluent-kafka aiokafka): \(err)"
    }()

    static var required: Bool { getenv("SLUICE_REQUIRE_CLIENTS").map { String(cString: $0) == "1" } ?? false }

    /// A client is missing: a failure under SLUICE_REQUIRE_CLIENTS=1 (`make test`, CI), else a printed skip.
    static func clientMissing(_ reason: String) {
        if required { Issue.record("SLUICE_REQUIRE_CLIENTS=1 but \(reason)") } else { print("skipped: \(reason)") }
    }

    @Test func psycopg2Psycopg3Pg8000AndAsyncpg() throws {
        if let missing = Self.missing {
            Self.clientMissing(missing)
            return
        }
        let dir = TemporaryDirectory("sluice-drivers")
        defer { dir.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(dir)
        defer { server.terminate() }
        let (status, out, err) = runChild(["python3", Self.script, String(port)], seconds: 120)
        #expect(status == 0, "\(out)\(err)")
        #expect(out == "OK\n", "\(err)")
    }

    static let jdbcJar = "/usr/share/java/postgresql.jar"

    /// pgjdbc (Debian's libpostgresql-jdbc-java), the driver under DBeaver, Metabase and every JVM tool: metadata,
    /// prepared INSERTs and pull queries through the extended protocol, a push query, SQLSTATEs, a transaction.
    @Test func pgjdbc() throws {
        let javac = ChildProcess(["/usr/bin/env", "sh", "-c", "command -v javac && test -r \(Self.jdbcJar)"])
        javac.closeStdin()
        if javac.wait() != 0 {
            let reason = "javac or \(Self.jdbcJar) is missing (apt-get install default-jdk-headless libpostgresql-jdbc-java)"
            Self.clientMissing(reason)
            return
        }
        let dir = TemporaryDirectory("sluice-jdbc")
        defer { dir.remove() }
        let source = Self.clients + "Jdbc.java"
        let compile = ChildProcess(["/usr/bin/env", "javac", "-d", dir.path + "/classes", source])
        compile.closeStdin()
        let compileErrors = ChildProcess.readAll(compile.stderrFD)
        try #require(compile.wait() == 0, "\(compileErrors)")
        let data = TemporaryDirectory("sluice-jdbc-data")
        defer { data.remove() }
        let (server, port) = try PsqlEndToEndTests.startServer(data)
        defer { server.terminate() }
        let (status, out, err) = runChild(["java", "-cp", dir.path + "/classes:" + Self.jdbcJar, "Jdbc", String(port)], seconds: 120)
        #expect(status == 0, "\(out)\(err)")
        #expect(out == "OK\n", "\(err)")
    }
}
