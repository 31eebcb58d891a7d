import Glibc
import SluiceCore
import SluiceTestSupport
import Testing

/// Real kcat against the real `sluice serve` Kafka listener: metadata, producing keyed records (the topic is
/// auto-created), consuming them back, declaring the topic as a SQL stream, and consuming a persistent query's sink
/// topic. `make test` installs kcat and sets SLUICE_REQUIRE_CLIENTS=1, so CI cannot skip it.
@Suite(.serialized) struct KafkaEndToEndTests {
    static let kcat: String? = ["/usr/bin/kcat", "/usr/local/bin/kcat"].first { access($0, X_OK) == 0 }

    static func kcat(_ arguments: [String], input: String? = nil) -> (status: Int32, stdout: String, stderr: String) {
        let child = ChildProcess(["/usr/bin/env", "timeout", "60", kcat!] + arguments)
        if let input { child.writeStdin(input) }
        child.closeStdin()
        let out = ChildProcess.readAll(child.stdoutFD)
        let err = ChildProcess.readAll(child.stderrFD)
        return (child.wait(), out, err)
    }

    @Test func kcatProducesAndConsumesAndSQLReadsWhatItWrote() throws {
        guard Self.kcat != nil else {
            DriversEndToEndTests.clientMissing("kcat is not installed (apt-get install kcat)")
            return
        }
        let dir = TemporaryDirectory("sluice-kafka")
        defer { dir.remove() }
        let (server, pgPort, kafkaPort) = try PsqlEndToEndTests.startServerWithKafka(dir)
        defer {
            server.kill(SIGTERM)
            server.wait()
        }
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
        let dir = TemporaryDirectory("sluice-kafka-python")
        defer { dir.remove() }
        let (server, _, kafkaPort) = try PsqlEndToEndTests.startServerWithKafka(dir)
        defer {
            server.kill(SIGTERM)
            server.wait()
        }
        let run = ChildProcess(["/usr/bin/env", "timeout", "120", "python3", DriversEndToEndTests.clients + "kafka_clients.py", "127.0.0.1:\(kafkaPort)"])
        run.closeStdin()
        let out = ChildProcess.readAll(run.stdoutFD)
        let err = ChildProcess.readAll(run.stderrFD)
        #expect(run.wait() == 0, "\(out)\(err)")
        #expect(out == "OK\n", "\(err)")
    }
}
