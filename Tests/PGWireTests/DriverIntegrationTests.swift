import Foundation
import Testing

/// asyncpg (binary formats, named statements) and pg8000 (text formats) against PGWire, with the Python named by
/// PGWIRE_TEST_PYTHON or else python3 when it has both (`make test` installs them). Skipped otherwise; the psql
/// tests always run.
@Suite(.serialized) struct DriverIntegrationTests {
    static let python: String? = {
        if let named = ProcessInfo.processInfo.environment["PGWIRE_TEST_PYTHON"] { return named }
        // The interpreter python3 resolves to, if it has both drivers.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import asyncpg, pg8000, sys; print(sys.executable)"]
        let pipe = Pipe()
        probe.standardOutput = pipe
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return probe.terminationStatus == 0 && !path.isEmpty ? path : nil
    }()

    @Test(.enabled(if: python != nil)) func asyncpgAndPg8000() async throws {
        let server = try await PsqlIntegrationTests.Server()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/drivers.py")
        let run = try await ChildRun.run([Self.python!, script.path, String(server.port)], deadline: .seconds(60))
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "OK\n", "\(run.stderr)")
    }
}
