import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// Real kcat against the real `sluice serve` Kafka listener: metadata, producing keyed records (the topic is
/// auto-created), consuming them back, declaring the topic as a SQL stream, and consuming a persistent query's sink
/// topic. `make test` installs kcat and sets SLUICE_REQUIRE_CLIENTS=1, so CI cannot skip it.
@Suite(.serialized) struct KafkaEndToEndTests {
    static let kcat: String? = ["/usr/bin/kcat", "/usr/local/bin/kcat"].first { access($0, X_OK) == 0 }

    /// Starts `sluice serve` with both listeners on free ports, runs `body(pgPort, kafkaPort)`, and stops it.
    static func withServer(_ name: String, _ body: (Int, Int) throws -> Void) throws {
        let dir = TemporaryDirectory(name)
        defer { dir.remove() }
        let (server, pgPort, kafkaPort) = try PsqlEndToEndTests.startServerWithKafka(dir)
        defer { server.terminate() }
        try body(pgPort, kafkaPort)
    }

    static func kcat(_ arguments: [String], input: String? = nil) -> (status: Int32, stdout: String, stderr: String) {
        runChild([kcat!] + arguments, stdin: input, seconds: 60)
    }

    @Test func kcatProducesAndConsumesAndSQLReadsWhatItWrote() throws {
        guard Self.kcat != nil else {
            DriversEndToEndTests.clientMissing("kcat is not installed (apt-get install kcat)")
            return
        }
        try Self.withServer("sluice-kafka") { pgPort, kafkaPort in try Self.produceAndConsume(pgPort: pgPort, kafkaPort: kafkaPort) }
    }

    static func produceAndConsume(pgPort: Int, kafkaPort: Int) throws {
        let broker = "127.0.0.1:\(kafkaPort)"

        let metadata = Self.kcat(["-b", broker, "-L", "-m", "30"])
        #expect(metadata.status == 0, "\(metadata.stderr)")
        #expect(metadata.stdout.contains("broker 0 at \(broker)"), "\(metadata.stdout)")

        // Produce keyed records; the topic is created on first use, as with Kafka's auto.create.topics.enable.
        let produce = Self.kcat(["-b", broker, "-P", "-t", "greetings", "-K:"], input: "k1:hello\nk2:world\nk1:again\n")
        #expect(produce.status == 0, "\(produce.stderr)")
        let consume = Self.kcat(["-b", broker, "-C", "-t", "greetings", "-e", "-f", "%k=%s@%o\\n"])
        #expect(consume.status == 0, "\(consume.stderr)")
        #expect(consume.stdout == "k1=hello@0\nk2=world@1\nk1=again@2\n", "\(consume.stdout)\(consume.stderr)")
        // Headers are stored and served as written.
        let withHeaders = Self.kcat(["-b", broker, "-P", "-t", "headed", "-H", "trace=abc", "-H", "lang=sv"], input: "hej\n")
        #expect(withHeaders.status == 0, "\(withHeaders.stderr)")
        let headers = Self.kcat(["-b", broker, "-C", "-t", "headed", "-e", "-f", "%s %h\n"])
        #expect(headers.stdout == "hej trace=abc,lang=sv\n", "\(headers.stdout)\(headers.stderr)")
        // From the end, nothing is left.
        let tail = Self.kcat(["-b", broker, "-C", "-t", "greetings", "-o", "end", "-e"])
        #expect(tail.status == 0 && tail.stdout.isEmpty, "\(tail.stdout)\(tail.stderr)")

        // SQL over what kcat wrote, and kcat over what SQL wrote.
        let sql = PsqlEndToEndTests.psql(pgPort, [
            "CREATE STREAM g (k VARCHAR KEY, v VARCHAR) WITH (KAFKA_TOPIC='greetings', VALUE_FORMAT='KAFKA');",
            "CREATE STREAM shout WITH (KAFKA_TOPIC='shout', VALUE_FORMAT='JSON') AS SELECT k, UCASE(v) AS loud FROM g EMIT CHANGES;",
            "SET 'auto.offset.reset' = 'earliest';",
            "SELECT k, v FROM g EMIT CHANGES LIMIT 3;",
        ], extra: ["-A", "-t", "-q"])
        #expect(sql.status == 0, "\(sql.stderr)")
        #expect(sql.stdout == "k1|hello\nk2|world\nk1|again\n", "\(sql.stdout)")
        // PRINT shows the records as kcat wrote them: partition, offset, key and value after ROWTIME.
        let printed = PsqlEndToEndTests.psql(pgPort, ["PRINT 'greetings' FROM BEGINNING LIMIT 3;"], extra: ["-A", "-t", "-q"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let fields = printed.stdout.split(separator: "\n").map { $0.split(separator: "|").dropFirst().joined(separator: "|") }
        #expect(fields == ["0|0|k1|hello", "0|1|k2|world", "0|2|k1|again"], "\(printed.stdout)")
        var shouted = ""
        for _ in 0..<100 {
            shouted = Self.kcat(["-b", broker, "-C", "-t", "shout", "-e", "-f", "%k=%s\\n"]).stdout
            if shouted.split(separator: "\n").count == 3 { break }
            usleep(100_000)
        }
        #expect(shouted == "k1={\"LOUD\":\"HELLO\"}\nk2={\"LOUD\":\"WORLD\"}\nk1={\"LOUD\":\"AGAIN\"}\n", "\(shouted)")
    }

    /// kafka-python: an idempotent producer (InitProducerId, then sequenced batches), a consumer reading every
    /// message once in order, and the admin client (Clients/kafka_clients.py).
    @Test func kafkaPythonProducesAndConsumes() throws {
        if let missing = DriversEndToEndTests.missingKafkaPython {
            DriversEndToEndTests.clientMissing(missing)
            return
        }
        try Self.withServer("sluice-kafka-python") { _, kafkaPort in
            let (status, out, err) = runChild(["python3", DriversEndToEndTests.clients + "kafka_clients.py", "127.0.0.1:\(kafkaPort)"], seconds: 120)
            #expect(status == 0, "\(out)\(err)")
            #expect(out == "OK\n", "\(err)")
        }
    }

    /// kcat in group mode (-G): two members share a 2-partition topic between them, each record is read once, the
    /// offsets are committed, and a later member of the group resumes after them. Also -C by timestamp (-o s@ms).
    @Test func kcatGroupModeSharesPartitionsAndResumesFromCommittedOffsets() throws {
        guard Self.kcat != nil, PsqlEndToEndTests.psql != nil else {
            DriversEndToEndTests.clientMissing("kcat or psql is not installed (apt-get install kcat postgresql-client)")
            return
        }
        try Self.withServer("sluice-kafka-group") { pgPort, kafkaPort in try Self.groupMode(pgPort: pgPort, kafkaPort: kafkaPort) }
    }

    static func groupMode(pgPort: Int, kafkaPort: Int) throws {
        let broker = "127.0.0.1:\(kafkaPort)"
        let created = PsqlEndToEndTests.psql(pgPort, ["CREATE STREAM kg (v VARCHAR) WITH (KAFKA_TOPIC='kg', PARTITIONS=2, VALUE_FORMAT='KAFKA');"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(Self.kcat(["-b", broker, "-P", "-t", "kg", "-p", "0"], input: "a\nb\nc\n").status == 0)
        let boundary = SystemClock().milliseconds()
        usleep(20_000)
        #expect(Self.kcat(["-b", broker, "-P", "-t", "kg", "-p", "1"], input: "d\ne\n").status == 0)

        // By timestamp: only what was produced after the boundary.
        let since = Self.kcat(["-b", broker, "-C", "-t", "kg", "-o", "s@\(boundary)", "-e", "-f", "%s\\n"])
        #expect(since.stdout.split(separator: "\n").sorted() == ["d", "e"], "\(since.stdout)\(since.stderr)")

        // Two members started together join the same first rebalance (the group's initial delay) and split the
        // partitions; -e makes each exit once its partitions are drained, committing on the way out.
        let members = (0..<2).map { _ in
            let child = ChildProcess(["/usr/bin/env", "timeout", "60", kcat!, "-b", broker, "-G", "kgroup", "kg", "-e", "-f", "%p:%s\\n",
                                      "-X", "auto.offset.reset=earliest"])
            child.closeStdin()
            return child
        }
        let outputs = members.map { ChildProcess.readAll($0.stdoutFD) }
        let logs = members.map { ChildProcess.readAll($0.stderrFD) }
        #expect(members.map { $0.wait() } == [0, 0], "\(logs)")
        let lines = outputs.flatMap { $0.split(separator: "\n").map(String.init) }
        #expect(lines.sorted() == ["0:a", "0:b", "0:c", "1:d", "1:e"], "\(outputs) \(logs)")
        #expect(outputs.allSatisfy { !$0.isEmpty }, "one member read everything: \(outputs) \(logs)")

        // The group's committed offsets survive its members: a new member reads only what came after.
        #expect(Self.kcat(["-b", broker, "-P", "-t", "kg", "-p", "1"], input: "f\n").status == 0)
        let resumed = Self.kcat(["-b", broker, "-G", "kgroup", "kg", "-e", "-f", "%p:%s\\n"])
        #expect(resumed.stdout == "1:f\n", "\(resumed.stdout)\(resumed.stderr)")

        // Lag, as kafka-consumer-groups.sh shows it: committed offsets against the log end, per partition.
        #expect(Self.kcat(["-b", broker, "-P", "-t", "kg", "-p", "0"], input: "g\nh\n").status == 0)
        let describe = runSluice(["consumer-groups", "--describe", "--group", "kgroup", "-p", String(pgPort)], seconds: 60)
        #expect(describe.status == 0, "\(describe.stderr)")
        let rows = describe.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.first == ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"])
        #expect(Array(rows.dropFirst()) == [["kgroup", "kg", "0", "3", "5", "2", "-", "-", "-"], ["kgroup", "kg", "1", "3", "3", "0", "-", "-", "-"]],
                "\(describe.stdout)")
        let missing = runSluice(["consumer-groups", "--describe", "--group", "nope", "-p", String(pgPort)], seconds: 60)
        #expect(missing.status == 1 && missing.stderr.contains("Consumer group 'nope' does not exist"), "\(missing.stderr)")

        // A live member shows up as the owner of its partitions in SQL.
        let member = ChildProcess(["/usr/bin/env", "timeout", "60", kcat!, "-b", broker, "-G", "kgroup", "-X", "client.id=lagwatch",
                                   "-X", "auto.commit.interval.ms=100", "kg"])
        member.closeStdin()
        var owned = ""
        for _ in 0..<100 {
            owned = PsqlEndToEndTests.psql(pgPort, ["SHOW CONSUMER GROUPS;"], extra: ["-A", "-t"]).stdout
            if owned.contains("|Stable|kg|0|5|5|0|") && owned.contains("|Stable|kg|1|3|3|0|") { break }
            usleep(100_000)
        }
        // SHOW TOPICS lists kg although no stream reads it (kcat made it), with the live member and its group;
        // __consumer_offsets only under ALL.
        let topics = PsqlEndToEndTests.psql(pgPort, ["SHOW TOPICS EXTENDED;"], extra: ["-A", "-t"]).stdout
        let allTopics = PsqlEndToEndTests.psql(pgPort, ["SHOW ALL TOPICS;"], extra: ["-A", "-t"]).stdout
        member.kill(SIGTERM)
        _ = member.wait()
        #expect(topics.split(separator: "\n").contains("kg|2|1|1"), "\(topics)")
        #expect(!topics.contains("__consumer_offsets"), "\(topics)")
        #expect(allTopics.contains("__consumer_offsets|") && allTopics.contains("kg|2"), "\(allTopics)")
        let ownedRows = owned.split(separator: "\n").filter { $0.hasPrefix("kgroup|") }.map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        #expect(ownedRows.count == 2, "\(owned)")
        for row in ownedRows where row.count == 10 {
            #expect(row[1] == "Stable" && row[6] == "0" && row[8] == "/127.0.0.1" && row[9] == "lagwatch", "\(owned)")
            #expect(row[7].hasPrefix("lagwatch-"), "\(owned)")
        }
    }

    /// confluent-kafka (librdkafka) at the scale of issue 6: 1,000,000 idempotent LZ4 messages with acks=all, then a
    /// 3-member group that loses a member and is restarted, reading every message, none committed read twice
    /// (Clients/confluent_group.py).
    @Test func confluentKafkaGroupReadsAMillionMessagesOnceAcrossRebalancesAndRestarts() throws {
        if let missing = DriversEndToEndTests.missingKafkaPython {
            DriversEndToEndTests.clientMissing(missing)
            return
        }
        try Self.withServer("sluice-confluent") { _, kafkaPort in
            let (status, out, err) = runChild(
                ["python3", DriversEndToEndTests.clients + "confluent_group.py", "127.0.0.1:\(kafkaPort)", "1000000"], seconds: 300)
            #expect(status == 0, "\(out)\(err)")
            #expect(out.hasSuffix("OK\n"), "\(err)")
            print(out, terminator: "")
        }
    }

    /// A server killed (SIGKILL) in the middle of production, with acks=all and an fsync before every
    /// acknowledgement, loses no acknowledged message: after a restart on the same data directory every value the
    /// producer saw confirmed is in the topic, and none twice (Clients/durability.py).
    @Test func aKilledServerLosesNoAcknowledgedMessage() throws {
        if let missing = DriversEndToEndTests.missingKafkaPython {
            DriversEndToEndTests.clientMissing(missing)
            return
        }
        let dir = TemporaryDirectory("sluice-durability")
        defer { dir.remove() }
        let script = DriversEndToEndTests.clients + "durability.py"
        let (server, _, kafkaPort) = try PsqlEndToEndTests.startServerWithKafka(dir, extraArguments: ["--flush", "every-batch"])
        let producer = ChildProcess(["/usr/bin/env", "timeout", "120", "python3", script, "produce", "127.0.0.1:\(kafkaPort)"])
        producer.closeStdin()
        var acknowledged: [String] = []
        while acknowledged.count < 20_000, let line = producer.readLine() { acknowledged.append(line) }
        server.kill(SIGKILL)
        server.wait()
        // Confirmations the producer received before the kill may still be in its pipe: stop it and read them all.
        usleep(500_000)
        producer.kill(SIGTERM)
        while let line = producer.readLine() { acknowledged.append(line) }
        _ = producer.wait()
        #expect(acknowledged.count >= 20_000, "the producer stopped early: \(ChildProcess.readAll(producer.stderrFD))")

        let (restarted, _, newPort) = try PsqlEndToEndTests.startServerWithKafka(dir)
        defer { restarted.terminate() }
        let (status, out, err) = runChild(
            ["python3", script, "verify", "127.0.0.1:\(newPort)"], stdin: acknowledged.joined(separator: "\n") + "\n", seconds: 120)
        #expect(status == 0, "\(out)\(err)")
        #expect(out.hasSuffix("OK\n"), "\(err)")
        print(out, terminator: "")
    }
}
