import Glibc
import Testing

@testable import LogStorage
import SluiceCore
import SluiceTestSupport

/// The Kafka-style tools of `sluice`, run as a user runs them: the real binary on a data directory.
@Suite struct ToolsTests {
    @Test func createProduceConsumeDescribeDelete() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let data = ["--data-dir", dir.path]
        let created = runSluice(["topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=3600000"] + data)
        #expect(created.status == 0)
        #expect(created.stdout == "Created topic orders with 3 partitions.\n")
        #expect(runSluice(["topics", "list"] + data).stdout == "orders\n")

        let lines = (0..<100).map { "key\($0 % 7):value-\($0)" }.joined(separator: "\n") + "\n"
        let produced = runSluice(["produce", "--topic", "orders", "--key-separator", ":"] + data, stdin: lines)
        #expect(produced.status == 0)
        #expect(produced.stderr.contains("Appended 100 records to orders."))

        let consumed = runSluice(["consume", "--topic", "orders", "--from-beginning", "--exit-at-end", "--print-key", "--group", "g1"] + data)
        #expect(consumed.status == 0)
        let rows = consumed.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 100)
        #expect(Set(rows) == Set((0..<100).map { "key\($0 % 7)\tvalue-\($0)" }))
        // Same key, same partition, in order.
        let key3 = rows.filter { $0.hasPrefix("key3\t") }
        #expect(key3 == (0..<100).filter { $0 % 7 == 3 }.map { "key3\tvalue-\($0)" })

        // The group committed its offsets: consuming again with it prints nothing, until more is produced.
        #expect(runSluice(["consume", "--topic", "orders", "--exit-at-end", "--group", "g1"] + data).stdout == "")
        _ = runSluice(["produce", "--topic", "orders", "--partition", "1"] + data, stdin: "late\n")
        #expect(runSluice(["consume", "--topic", "orders", "--exit-at-end", "--group", "g1"] + data).stdout == "late\n")
        #expect(runSluice(["consume", "--topic", "orders", "--from-beginning", "--exit-at-end", "--max-messages", "5"] + data).stdout.split(separator: "\n").count == 5)

        let described = runSluice(["topics", "describe", "orders"] + data)
        #expect(described.stdout.contains("Topic: orders\tPartitionCount: 3\tConfigs: retention.ms=3600000"))
        #expect(described.stdout.contains("Partition: 2\tLogStartOffset: 0"))

        #expect(runSluice(["topics", "delete", "orders"] + data).status == 0)
        #expect(!PosixFileSystem().fileExists(dir.path + "/log/orders-0"))
        let missing = runSluice(["consume", "--topic", "orders", "--exit-at-end"] + data)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("topic 'orders' does not exist [unknownTopicOrPartition]"))
    }

    @Test func badInputGetsClearErrors() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let data = ["--data-dir", dir.path]
        let badName = runSluice(["topics", "create", "bad/name"] + data)
        #expect(badName.status == 1)
        #expect(badName.stderr.contains("contains '/'"))
        let badConfig = runSluice(["topics", "create", "t", "--config", "cleanup.policy=sometimes"] + data)
        #expect(badConfig.stderr.contains("invalid value 'sometimes' for topic config 'cleanup.policy'"))
        let unknownConfig = runSluice(["topics", "create", "t", "--config", "retention.hours=1"] + data)
        #expect(unknownConfig.stderr.contains("unknown topic config 'retention.hours'"))
        #expect(runSluice(["topics", "create", "t"] + data).status == 0)
        #expect(runSluice(["topics", "create", "t"] + data).stderr.contains("topic 't' already exists"))
    }

    @Test func dumpLogShowsBatchesAndFlagsCorruption() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let data = ["--data-dir", dir.path]
        _ = runSluice(["produce", "--topic", "d", "--batch-size", "2"] + data, stdin: "a\nb\nc\n")
        let segment = dir.path + "/log/d-0/00000000000000000000.log"
        let dump = runSluice(["dump-log", segment, "--print-data"])
        #expect(dump.status == 0)
        #expect(dump.stdout.contains("baseOffset: 0 lastOffset: 1 count: 2"))
        #expect(dump.stdout.contains("baseOffset: 2 lastOffset: 2 count: 1"))
        #expect(dump.stdout.contains("| offset: 2 CreateTime:"))
        #expect(dump.stdout.contains("payload: c"))
        #expect(dump.stdout.contains("Batches: 2, records: 3"))
        // Corrupt the last byte of the file: the second batch's CRC no longer matches.
        let file = try PosixFileSystem().openFile(segment, create: false)
        let size = try file.size()
        try [UInt8(ascii: "Z")].withUnsafeBytes { try file.write($0, at: size - 1) }
        file.close()
        let corrupt = runSluice(["dump-log", segment])
        #expect(corrupt.status == 2)
        #expect(corrupt.stdout.contains("Corrupt batch at position"))
        #expect(corrupt.stdout.contains("CRC mismatch"))
    }

    @Test func aDataDirectoryIsUsedByOneProcessAtATime() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = ChildProcess([
            sluiceBinary(), "serve", "--data-dir", dir.path, "--pg-port", "0", "--kafka-port", "0",
            "--stop-with-parent",
        ])
        defer { server.terminate() }  // a no-op once it has exited; ends it if an expectation below fails
        #expect(server.readLine()?.hasPrefix("sluice 0.1.0: data directory") == true)
        #expect(server.readLine()?.hasPrefix("sluice: Kafka wire on 127.0.0.1:") == true)
        #expect(server.readLine()?.hasPrefix("sluice: PostgreSQL wire on 127.0.0.1:") == true)
        let blocked = runSluice(["topics", "list", "--data-dir", dir.path])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("is in use by process \(server.pid)"))
        server.kill(2)  // SIGINT: clean shutdown
        #expect(server.wait() == 0)
        #expect(PosixFileSystem().fileExists(dir.path + "/log/.clean-shutdown"))
        #expect(runSluice(["topics", "list", "--data-dir", dir.path]).status == 0)
    }

    /// A node started with --stop-with-parent shuts down cleanly when its parent exits, so that a test run that
    /// dies leaves no server behind. A shell starts the node in the background, waits until it listens, and exits.
    @Test func aNodeStartedWithStopWithParentEndsWhenItsParentExits() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.path + "/serve.out"
        let script = """
            "$0" serve --data-dir "$1/data" --pg-port 0 --kafka-port=-1 --stop-with-parent > "$1/serve.out" 2>&1 &
            echo $!
            i=0
            until grep -q "PostgreSQL wire on" "$1/serve.out" 2>/dev/null; do
              i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.1
            done
            """
        let shell = runChild(["/bin/sh", "-c", script, sluiceBinary(), dir.path], seconds: 90)
        let pid = shell.stdout.split(separator: "\n").first.flatMap { pid_t($0) } ?? 0
        try #require(pid > 0, "no server pid: \(shell)")
        #expect(shell.status == 0, "the server did not start: \(shell)")
        // The node is no longer this process's child, so it cannot be reaped here: read what it printed.
        var log = ""
        for _ in 0..<300 where !log.contains("shut down cleanly") {
            usleep(100_000)
            log = String(decoding: (try? PosixFileSystem().readFile(out)) ?? nil ?? [], as: UTF8.self)
        }
        if !log.contains("shut down cleanly") { _ = kill(pid, SIGKILL) }  // not left behind by a failing test
        #expect(log.contains("exited; shutting down"), "\(log)")
        #expect(log.contains("shut down cleanly"), "\(log)")
        #expect(PosixFileSystem().fileExists(dir.path + "/data/log/.clean-shutdown"))
    }
}
