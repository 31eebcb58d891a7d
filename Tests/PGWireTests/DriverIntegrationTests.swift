import Foundation
import Testing

/// asyncpg (binary formats, named statements) and pg8000 (text formats) against PGWire, when a Python with
/// both is named by PGWIRE_TEST_PYTHON (e.g. a venv: `pip install asyncpg pg8000`). Skipped otherwise; the
/// psql tests always run.
@Suite(.serialized) struct DriverIntegrationTests {
    static var python: String? { ProcessInfo.processInfo.environment["PGWIRE_TEST_PYTHON"] }

    @Test(.enabled(if: python != nil)) func asyncpgAndPg8000() async throws {
        let server = try await PsqlIntegrationTests.Server()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/drivers.py")
        let run = try await ChildRun.run([Self.python!, script.path, String(server.port)], deadline: .seconds(60))
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "OK\n", "\(run.stderr)")
    }
}
