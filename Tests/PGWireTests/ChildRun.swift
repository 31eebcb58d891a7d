import Foundation
import PGWire
import Testing

/// A finished child process (psql, a Python driver script) with its exit status and output. The child is
/// spawned with an empty signal mask — test threads block SIGINT, and a child would inherit that — and is
/// signalled only by its own PID: SIGINT after `interruptAfter` once `interruptWhen` holds (a loaded machine may
/// take longer than that to start the child), SIGKILL at the deadline.
struct ChildRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(
        _ argv: [String], environment: [String] = ["PATH=/usr/bin:/bin"], stdin: String? = nil,
        interruptAfter: Duration? = nil, interruptWhen: @Sendable () -> Bool = { true }, deadline: Duration = .seconds(30)
    ) async throws -> ChildRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgwire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = ["in", "out", "err"].map { directory.appendingPathComponent($0).path }
        _ = FileManager.default.createFile(atPath: paths[0], contents: Data((stdin ?? "").utf8))
        let pid = try spawn(argv, environment: environment, stdin: paths[0], stdout: paths[1], stderr: paths[2])
        let status = try await wait(pid, interruptAfter: interruptAfter, interruptWhen: interruptWhen, deadline: deadline)
        return ChildRun(
            status: status, stdout: (try? String(contentsOfFile: paths[1], encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: paths[2], encoding: .utf8)) ?? "")
    }

    private static func spawn(
        _ argv: [String], environment: [String], stdin: String, stdout: String, stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else { throw PGError(SQLState.internalError, "posix_spawn \(argv[0]) failed: \(rc)") }
        return pid
    }

    /// Polls the child until it exits (a shell-style status: the exit code, or 128 + signal).
    private static func wait(
        _ pid: pid_t, interruptAfter: Duration?, interruptWhen: @Sendable () -> Bool, deadline: Duration
    ) async throws -> Int32 {
        let clock = ContinuousClock()
        let started = clock.now
        var interrupted = false
        var killed = false
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            }
            let elapsed = started.duration(to: clock.now)
            if let interruptAfter, !interrupted, elapsed > interruptAfter, interruptWhen() {
                kill(pid, SIGINT)
                interrupted = true
            }
            if elapsed > deadline, !killed {
                Issue.record("\(argv0(pid)) did not finish within \(deadline)")
                kill(pid, SIGKILL)
                killed = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private static func argv0(_ pid: pid_t) -> String { "child \(pid)" }
}
