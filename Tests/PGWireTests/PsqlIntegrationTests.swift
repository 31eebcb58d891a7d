import Foundation
import NIOCore
import NIOPosix
import PGWire
import Testing

/// The real `psql` (libpq) against PGWire on an NIOPosix server bound to 127.0.0.1 on a free port,
/// with the test-only `TestSession`. Every psql run has a deadline; only processes started here are
/// signalled, by PID.
@Suite(.serialized) struct PsqlIntegrationTests {
    final class Server {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let registry = PGCancelRegistry()
        var channel: (any Channel)?
        var port = 0

        init(_ method: PGAuthenticationMethod = .trust, users: PGUserStore = PGUserStore()) async throws {
            let configuration = PGWirePipeline.Configuration(
                connection: .init(authenticator: PGAuthenticator(method: method, users: users)))
            let registry = self.registry
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        _ = try PGWirePipeline.addHandlers(
                            to: channel.pipeline.syncOperations, configuration: configuration, registry: registry,
                            session: TestSession())
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            self.channel = channel
            port = channel.localAddress?.port ?? 0
        }

        func shutdown() async throws {
            try await channel?.close()
            try await group.shutdownGracefully()
        }
    }

    static var psqlPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/psql" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs psql with a deadline; on `interruptAfter` sends SIGINT (psql's Ctrl-C: a CancelRequest).
    func psql(
        _ server: Server, _ arguments: [String], user: String = "alice", password: String? = nil, stdin: String? = nil,
        interruptAfter: Duration? = nil
    ) async throws -> ChildRun {
        // Ctrl-C cancels only once psql is connected (before, it ends psql): wait for the connection as well.
        let registry = server.registry
        var environment = ["PATH=/usr/bin:/bin", "PGCONNECT_TIMEOUT=30", "PGAPPNAME=psql-test"]
        if let password { environment.append("PGPASSWORD=\(password)") }
        let argv =
            [Self.psqlPath!, "-X", "-h", "127.0.0.1", "-p", String(server.port), "-U", user, "-d", "sluice"]
            + arguments
        return try await ChildRun.run(
            argv, environment: environment, stdin: stdin, interruptAfter: interruptAfter,
            interruptWhen: { registry.count > 0 })
    }

    @Test(.enabled(if: psqlPath != nil)) func selectOne() async throws {
        let server = try await Server()
        let run = try await psql(server, ["-c", "SELECT 1"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("?column?"))
        #expect(run.stdout.contains("(1 row)"))
        #expect(server.registry.count == 0)
    }

    @Test(.enabled(if: psqlPath != nil)) func tableAndMultipleStatements() async throws {
        let server = try await Server()
        let run = try await psql(server, ["-A", "-t", "-c", "SELECT * FROM t; SELECT 1"])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "1|one\n2|two\n3|\n1\n")
    }

    @Test(.enabled(if: psqlPath != nil)) func syntaxErrorShowsSQLStateAndPosition() async throws {
        let server = try await Server()
        let verbose = try await psql(server, ["-v", "VERBOSITY=verbose", "-c", "SELEC 1"])
        let plain = try await psql(server, ["-c", "SELECT 1; SELEC 1"])
        try await server.shutdown()
        #expect(verbose.status == 1)
        #expect(verbose.stderr.contains("ERROR:  42601: syntax error at or near \"SELEC\""), "\(verbose.stderr)")
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("LINE 1: SELECT 1; SELEC 1"), "\(plain.stderr)")
        #expect(plain.stderr.contains("                  ^"), "\(plain.stderr)")
    }

    @Test(.enabled(if: psqlPath != nil)) func copyOutAndIn() async throws {
        let server = try await Server()
        let out = try await psql(server, ["-c", "COPY t TO STDOUT"])
        let csv = try await psql(server, ["-c", "COPY t TO STDOUT (FORMAT CSV)"])
        let into = try await psql(server, ["-c", "COPY t FROM STDIN"], stdin: "1\tx\n2\ty\n\\.\n")
        try await server.shutdown()
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "1\tone\n2\ttwo\n3\t\\N\n")
        #expect(csv.stdout == "1,one\n2,two\n3,\n4,\"a,\"\"b\"\n")
        #expect(into.status == 0, "\(into.stderr)")
        #expect(into.stdout == "COPY 2\n")
    }

    @Test(.enabled(if: psqlPath != nil)) func unknownDatabaseIsRefused() async throws {
        let server = try await Server()
        let process = try await psql(server, ["-c", "SELECT 1", "-d", "other"])
        try await server.shutdown()
        #expect(process.status == 2)
        #expect(process.stderr.contains("database \"other\" does not exist"), "\(process.stderr)")
    }

    @Test(.enabled(if: psqlPath != nil)) func scramAndMD5AndCleartextWithLibpq() async throws {
        var users = PGUserStore()
        users.add(user: "alice", credential: .password("s3cret"))
        users.add(user: "bob", credential: .scram(SCRAMVerifier(password: "hunter2", salt: Array(0..<16))))
        for method in [PGAuthenticationMethod.scramSHA256, .md5, .password] {
            let server = try await Server(method, users: users)
            let good = try await psql(server, ["-A", "-t", "-c", "SELECT 1"], password: "s3cret")
            let bad = try await psql(server, ["-c", "SELECT 1"], password: "wrong")
            var verifier: ChildRun?
            if method != .md5 {
                verifier = try await psql(server, ["-A", "-t", "-c", "SELECT 1"], user: "bob", password: "hunter2")
            }
            try await server.shutdown()
            #expect(good.status == 0, "\(method): \(good.stderr)")
            #expect(good.stdout == "1\n")
            #expect(bad.status == 2)
            #expect(
                bad.stderr.contains("password authentication failed for user \"alice\""), "\(method): \(bad.stderr)")
            if let verifier { #expect(verifier.status == 0, "\(method): \(verifier.stderr)") }
        }
    }

    @Test(.enabled(if: psqlPath != nil)) func ctrlCCancelsAnEndlessQuery() async throws {
        let server = try await Server()
        let run = try await psql(server, ["-c", "SELECT * FROM forever"], interruptAfter: .seconds(1))
        try await server.shutdown()
        #expect(run.status == 1)
        #expect(run.stderr.contains("canceling statement due to user request"), "\(run.stderr)")
    }

    @Test(.enabled(if: psqlPath != nil)) func copyOfAPushQueryStreamsLiveUntilCancelled() async throws {
        let server = try await Server()
        let run = try await psql(server, ["-c", "COPY (SELECT * FROM forever) TO STDOUT"], interruptAfter: .seconds(1))
        try await server.shutdown()
        // psql printed rows as they arrived, then Ctrl-C cancelled the endless COPY.
        #expect(run.stdout.hasPrefix("0\n1\n2\n"))
        #expect(run.stdout.split(separator: "\n").count > 100)
        #expect(run.status == 1)
        #expect(run.stderr.contains("canceling statement due to user request"), "\(run.stderr)")
    }

    @Test(.enabled(if: psqlPath != nil)) func declareAndFetchFromACursor() async throws {
        let server = try await Server()
        let sql = "BEGIN; DECLARE c CURSOR FOR SELECT * FROM forever; FETCH 3 FROM c; FETCH 2 FROM c; COMMIT"
        let run = try await psql(server, ["-A", "-t", "-c", sql])
        try await server.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "BEGIN\nDECLARE CURSOR\n0\n1\n2\n3\n4\nCOMMIT\n")
    }
}
