import Broker
import Foundation
import Nexmark
import Relational
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SQLEngine

/// Issue 7's correctness oracle: 1,000,000 generated Nexmark events (SLUICE_NEXMARK_EVENTS overrides the count) go
/// through the queries of Queries/nexmark, and every result row is compared with the same query computed as one
/// batch by DuckDB over the same event file (Nexmark/duckdb_oracle.py; `make test` installs DuckDB from PyPI and sets
/// SLUICE_REQUIRE_CLIENTS=1, so CI cannot skip it).
@Suite(.serialized) struct NexmarkOracleTests {
    static let script = String(#filePath.dropLast("NexmarkOracleTests.swift".count)) + "Nexmark/duckdb_oracle.py"
    static let streams = ["q0", "q1", "q2", "q3"]
    static let tables = [
        "q4": "SELECT category, avg_final, auctions FROM q4;",
        "q4_final": "SELECT id, category, final FROM q4_final;",
        "q5": "SELECT auction, WINDOWSTART, num FROM q5;",
        "q6": "SELECT seller, avg_price, auctions FROM q6;",
        "q7": "SELECT WINDOWSTART, maxprice FROM q7;",
        "q8": "SELECT id, name, starttime, auctions FROM q8;",
    ]

    static var eventCount: Int64 {
        ProcessInfo.processInfo.environment["SLUICE_NEXMARK_EVENTS"].flatMap { Int64($0) } ?? 1_000_000
    }

    @Test func queriesMatchDuckDB() throws {
        let (probe, probeOutput) = try Self.run(["python3", "-c", "import duckdb"])
        if probe != 0 {
            let reason = "python3 lacks duckdb (pip install duckdb): \(probeOutput)"
            if ProcessInfo.processInfo.environment["SLUICE_REQUIRE_CLIENTS"] == "1" {
                Issue.record("SLUICE_REQUIRE_CLIENTS=1 but \(reason)")
            } else {
                print("skipped: \(reason)")
            }
            return
        }
        let node = try SQLEngineTests.Node()
        defer { try? node.stop(); node.dir.remove() }
        let generator = NexmarkGenerator(NexmarkGenerator.Configuration())
        let events = (0..<Self.eventCount).map { generator.event($0) }
        var file = ""
        for event in events { file += "{\"kind\":\"\(event.topic)\",\"event\":\(event.json)}\n" }
        try Data(file.utf8).write(to: URL(fileURLWithPath: node.dir.path + "/events.jsonl"))

        try node.run(try NexmarkTests.sql("ddl.sql"))
        let client = EmbeddedLogClient(logs: node.logs)
        var batches: [String: ProducerBatch] = ["person": ProducerBatch(), "auction": ProducerBatch(), "bid": ProducerBatch()]
        for event in events {
            let key = withUnsafeBytes(of: event.key.bigEndian) { Array($0) }
            batches[event.topic]!.append(timestamp: event.dateTime, key: key, value: Array(event.json.utf8))
            if batches[event.topic]!.count == 1_000 { _ = try client.produce(&batches[event.topic]!, to: TopicPartition(event.topic, 0)) }
        }
        for topic in batches.keys where !batches[topic]!.isEmpty { _ = try client.produce(&batches[topic]!, to: TopicPartition(topic, 0)) }
        for q in Self.streams + ["q4", "q5", "q6", "q7", "q8"] { try node.run(try NexmarkTests.sql(q + ".sql")) }
        try waitUntilCaughtUp(node)

        let out = node.dir.path + "/sluice"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for q in Self.streams { try Self.dumpStream(q, client: client, to: "\(out)/\(q).jsonl") }
        for (q, sql) in Self.tables {
            let rows = try node.rows(sql)
            let names = try Self.columnNames(sql)
            let lines = rows.map { row in "{" + zip(names, row).map { "\"\($0)\":\(Self.json($1))" }.joined(separator: ",") + "}\n" }
            try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: "\(out)/\(q).jsonl"))
        }
        let (status, output) = try Self.run(["python3", Self.script, node.dir.path + "/events.jsonl", out])
        print(output)
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: "match DuckDB").count - 1 == Self.streams.count + Self.tables.count, "\(output)")
    }

    /// Waits (up to 20 minutes: a debug build on two shared cores) until every query has committed all its input.
    private func waitUntilCaughtUp(_ node: SQLEngineTests.Node) throws {
        var quiet = 0
        for _ in 0..<6_000 {
            let queries = node.engine.runningQueries
            let lag = queries.reduce(Int64(0)) { $0 + $1.metrics.lag }
            let positions = queries.map(\.metrics.position)
            quiet = lag == 0 && positions.allSatisfy { $0 > 0 } ? quiet + 1 : 0
            if quiet >= 5 { return }
            usleep(200_000)
        }
        Issue.record("queries did not catch up: \(node.engine.runningQueries.map { "\($0.id) lag \($0.metrics.lag)" })")
    }

    /// A stream's sink records as {"key": bigint, "value": {...}} lines.
    static func dumpStream(_ topic: String, client: EmbeddedLogClient, to path: String) throws {
        var lines = ""
        var reader = FetchReader()
        var position: Offset = 0
        while true {
            let fetched = try client.fetch(TopicPartition(topic, 0), from: position, maxBytes: 8 << 20)
            guard let next = fetched.nextOffset else { break }
            try fetched.forEachRecord(from: position, reader: &reader) { record in
                let key = record.key.flatMap { $0.count == 8 ? String(Int64(bigEndian: $0.loadUnaligned(as: Int64.self))) : nil } ?? "null"
                let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                lines += "{\"key\":\(key),\"value\":\(value)}\n"
            }
            position = next
        }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The output names of a pull query's SELECT list (the last word of each item, upper-cased).
    static func columnNames(_ sql: String) throws -> [String] {
        let list = String(sql.dropFirst("SELECT ".count)).components(separatedBy: " FROM ")[0]
        return list.split(separator: ",").map { $0.split(separator: " ").last!.uppercased() }
    }

    static func json(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .string(let s): "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .double(let d): "\(d)"
        default: value.integerValue.map(String.init) ?? "\"\(value)\""
        }
    }

    /// Runs a command found on PATH to completion; its exit status and its stdout and stderr together.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        try runProcess("/usr/bin/env", arguments)
    }
}
