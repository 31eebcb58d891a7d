@preconcurrency import Glibc

/// The built `sluice` binary, next to the test bundle in the build directory.
func sluiceBinary() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let exe = String(decoding: buffer[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var directory = exe[..<(exe.lastIndex(of: "/") ?? exe.endIndex)]
    // The xctest bundle may be a directory (…/sluicePackageTests.xctest/…) on some layouts.
    while !directory.isEmpty, access(String(directory) + "/sluice", X_OK) != 0, let slash = directory.lastIndex(of: "/")
    {
        directory = directory[..<slash]
    }
    return String(directory) + "/sluice"
}

/// A child process with pipes on stdin, stdout and stderr.
final class ChildProcess {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    private var pending: [UInt8] = []

    /// Starts `arguments[0]` with this process's environment, where `environment` adds or replaces variables.
    init(_ arguments: [String], environment: [String: String] = [:]) {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        precondition(pipe(&inPipe) == 0 && pipe(&outPipe) == 0 && pipe(&errPipe) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else the test process has open (sockets, files, other children's pipes) leaks into the child:
        // PostgreSQL refuses to start when inherited descriptors eat its budget, and a leaked pipe end keeps
        // another child's output from ever reaching end of file.
        Self.addCloseFrom(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = Self.environment(overriding: environment).map { strdup($0) } + [nil]
        // A clean signal state, as a shell gives: test threads (Swift concurrency's pool) block most signals, and a
        // child inherits that mask, so tmux's panes could not be ended with SIGHUP and outlived kill-server.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        precondition(rc == 0, "posix_spawn \(arguments[0]) failed: \(rc)")
        (argv + envp).forEach { free($0) }
        posix_spawnattr_destroy(&attributes)
        posix_spawn_file_actions_destroy(&actions)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
    }

    private var stdinOpen = true

    /// `NAME=value` entries of this process's environment with `overrides` applied.
    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module does not export.
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest)
    }

    static func environment(overriding overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = String(text.prefix { $0 != "=" })
            if overrides[name] == nil { entries.append(text) }
            pointer += 1
        }
        return entries + overrides.map { "\($0.key)=\($0.value)" }
    }

    deinit {
        closeStdin()
        close(stdoutFD)
        close(stderrFD)
    }

    func writeStdin(_ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(stdinFD, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { break }
            done += n
        }
    }

    /// Closes stdin once (a second close could close a descriptor another thread has since opened).
    func closeStdin() {
        if stdinOpen { close(stdinFD) }
        stdinOpen = false
    }

    /// The next line of stdout, or nil at end of output.
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, 4096) }
            if n <= 0 { return nil }
            pending += chunk[0..<n]
        }
    }

    static func readAll(_ fd: Int32) -> String {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            all += chunk[0..<n]
        }
        return String(decoding: all, as: UTF8.self)
    }

    func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Stops the process the way Ctrl-C or a service manager would (SIGTERM) and reaps it.
    func terminate() {
        kill(SIGTERM)
        _ = wait()
    }

    /// Waits for exit; the exit status, or 128 + signal.
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.exitStatus(status)
    }

    /// Waits up to `seconds` for exit; nil, after killing and reaping it, if the process was still running: a test
    /// then fails instead of hanging CI.
    func wait(seconds: Int) -> Int32? {
        for _ in 0..<(seconds * 20) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return Self.exitStatus(status) }
            usleep(50_000)
        }
        kill(SIGKILL)
        wait()
        return nil
    }

    private static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// Runs a program to completion with optional stdin and extra environment; returns exit status, stdout and stderr.
/// With `seconds`, it runs under `timeout`, so a hung client fails its test (status 124) instead of stalling CI.
func runChild(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], seconds: Int? = nil) -> (
    status: Int32, stdout: String, stderr: String
) {
    let child = ChildProcess((seconds.map { ["/usr/bin/env", "timeout", String($0)] } ?? []) + arguments, environment: environment)
    if let stdin { child.writeStdin(stdin) }
    child.closeStdin()
    let out = ChildProcess.readAll(child.stdoutFD)
    let err = ChildProcess.readAll(child.stderrFD)
    return (child.wait(), out, err)
}

/// Runs `sluice` with arguments and optional stdin; returns exit status, stdout and stderr.
func runSluice(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], seconds: Int? = nil) -> (
    status: Int32, stdout: String, stderr: String
) {
    runChild([sluiceBinary()] + arguments, stdin: stdin, environment: environment, seconds: seconds)
}
