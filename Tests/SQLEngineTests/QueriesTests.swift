import Glibc
import Relational
import SQLSyntax
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SQLEngine

/// Runs every `Queries/**/*.sql` file on a fresh engine, statement by statement. Files check themselves:
/// - `ASSERT VALUES` / `ASSERT NULL VALUES` / `ASSERT STREAM|TABLE` statements (ksqlDB's test-runner forms);
/// - `-- expect error <SQLSTATE>` before a statement: it must fail with that SQLSTATE;
/// - `--> a|b|c` lines after a query: its rows, one per line, as psql -A prints them (pull queries are retried until
///   they match, for up to 10 s, since queries run asynchronously; push queries need a LIMIT);
/// - `-- restart` before a statement: the engine and the log shut down and reopen on the same data directory first,
///   as after a server restart (session settings start afresh).
///
/// Serialized: each file blocks its thread while it polls the engine, and under `swift test --parallel` on two cores
/// 145 files running side by side would hold every thread of the cooperative pool, starving the async tests (PGWire
/// servers and their psql clients) for tens of seconds.
@Suite(.serialized) struct QueriesTests {
    static let root = String(#filePath.dropLast("Tests/SQLEngineTests/QueriesTests.swift".count)) + "Queries"

    static func files(_ directory: String = root) -> [String] {
        let fs = PosixFileSystem()
        guard let names = try? fs.contentsOfDirectory(directory) else { return [] }
        return names.sorted().flatMap { name -> [String] in
            let path = directory + "/" + name
            // Queries/nexmark runs on generated events with an oracle (NexmarkTests), not as self-checking files.
            if name == "nexmark" { return [] }
            if fs.isDirectory(path) { return files(path) }
            return name.hasSuffix(".sql") ? [String(path.dropFirst(root.count + 1))] : []
        }
    }

    @Test func thereAreAtLeastEightyQueryFiles() {
        #expect(Self.files().count >= 80)
    }

    @Test(arguments: files())
    func queryFile(_ file: String) throws {
        let text = String(decoding: try PosixFileSystem().readFile(Self.root + "/" + file) ?? [], as: UTF8.self)
        let dir = TemporaryDirectory("sluice-engine")
        var node: SQLEngineTests.Node! = try SQLEngineTests.Node(dir: dir)
        defer { try? node.stop(); dir.remove() }
        let pieces = StatementSplitter.split(text).statements
        var previousEnd = text.utf8.startIndex
        for (i, piece) in pieces.enumerated() {
            let start = text.utf8.index(text.utf8.startIndex, offsetBy: piece.start.offset)
            let before = String(text[previousEnd..<start])
            let end = i + 1 < pieces.count ? text.utf8.index(text.utf8.startIndex, offsetBy: pieces[i + 1].start.offset) : text.endIndex
            let after = String(text[start..<end])
            previousEnd = text.utf8.index(start, offsetBy: piece.text.utf8.count)
            let expectedError = Self.directive("-- expect error ", in: before).first
            if !Self.directive("-- restart", in: before).isEmpty {
                try node.stop()
                node = nil  // releases RocksDB's lock before the state store reopens
                node = try SQLEngineTests.Node(dir: dir)
            }
            let expectedRows = after.split(separator: "\n").filter { $0.hasPrefix("--> ") && $0 != "--> (none)" }.map { String($0.dropFirst(4)) }
            do {
                let result = try Self.run(piece.text, node: node, expectedRows: expectedRows)
                if let expectedError {
                    Issue.record("\(file): expected error \(expectedError) from: \(piece.text)")
                }
                if !expectedRows.isEmpty || Self.directive("--> (none)", in: after).count > 0 {
                    #expect(result == expectedRows, "\(file): \(piece.text)")
                }
            } catch let error as EngineError {
                if let expectedError {
                    #expect(error.sqlState == expectedError, "\(file): \(piece.text) failed with \(error)")
                } else {
                    Issue.record("\(file): \(piece.text) failed: \(error)")
                    return
                }
            }
        }
    }

    static func directive(_ prefix: String, in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.drop(while: { $0 == " " })
            return trimmed.hasPrefix(prefix) ? String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: " ") : nil
        }
    }

    /// Runs a statement; for queries returns their rows as psql -A lines.
    static func run(_ sql: String, node: SQLEngineTests.Node, expectedRows: [String]) throws -> [String] {
        for attempt in 0..<100 {
            guard let result = try node.engine.execute(sql, session: &node.session).last else { return [] }
            switch result {
            case .command: return []
            case .rows(let set):
                let lines = set.rows.map(line)
                if lines == expectedRows || attempt == 99 { return lines }
                usleep(100_000)  // a pull query over a table still catching up
            case .push(let push):
                var lines: [String] = []
                // Until the query ends (LIMIT), or 10 s pass without a row once the expected number arrived, or 30 s
                // pass in all: a wake-up with no rows before then is not the end.
                let deadline = ContinuousClock.now + .seconds(30)
                while let rows = try push.next(timeoutMilliseconds: 10_000) {
                    lines += rows.map(line)
                    if lines.count >= expectedRows.count && push.isDone { break }
                    if rows.isEmpty && (lines.count >= expectedRows.count || ContinuousClock.now >= deadline) { break }
                }
                push.close()
                return lines
            }
        }
        return []
    }

    static func line(_ row: [Value]) -> String {
        row.map { value in
            switch value {
            case .null: ""
            case .string(let s): s
            case .timestamp: String(value.description.dropFirst("TIMESTAMP '".count).dropLast())
            default: value.description.trimmingCharacters(in: "'")
            }
        }.joined(separator: "|")
    }
}

extension StringProtocol {
    func trimmingCharacters(in c: Character) -> String {
        String(drop(while: { $0 == c }).reversed().drop(while: { $0 == c }).reversed())
    }
}
