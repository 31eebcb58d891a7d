import Glibc
import Relational
import SQLSyntax
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SQLEngine

/// Bad input gets a SQLSTATE, never a crash or an internal error: statements of the query corpus, mutated at the
/// token level (dropped, repeated, swapped or replaced by edge values), run one after another on one engine, which
/// keeps whatever catalog and queries they leave. Seeded, so a failure reproduces.
@Suite(.serialized) struct EngineFuzzTests {
    static let edgeTokens = [
        "0", "-1", "99999999999999999999", "2147483648", "1.5e308", "NULL", "''", "'x'", "ARRAY[]", "MAP()", "*", "(",
        ")", ",", "'2024-13-45'", "TRUE", "EMIT CHANGES", "LIMIT 0", "WINDOW TUMBLING (SIZE 0 SECONDS)",
    ]

    /// The corpus's statements; ASSERT ones are left out (they wait seconds for records that never come).
    static func corpus() throws -> [String] {
        var statements: [String] = []
        for file in QueriesTests.files() {
            guard let bytes = try PosixFileSystem().readFile(QueriesTests.root + "/" + file) else { continue }
            for piece in StatementSplitter.split(String(decoding: bytes, as: UTF8.self)).statements {
                let text = piece.text.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
                if !text.isEmpty && !text.uppercased().hasPrefix("ASSERT") { statements.append(text) }
            }
        }
        return statements
    }

    static func mutate(_ sql: String, _ g: inout SeededRandom, corpus: [String]) -> String {
        var tokens = sql.split(whereSeparator: \.isWhitespace).map(String.init)
        for _ in 0..<(Int.random(in: 0..<4, using: &g) == 0 ? 2 : 1) where !tokens.isEmpty {
            let i = Int.random(in: 0..<tokens.count, using: &g)
            switch Int.random(in: 0..<5, using: &g) {
            case 0: tokens.remove(at: i)
            case 1: tokens.insert(tokens.randomElement(using: &g)!, at: i)
            case 2: tokens[i] = edgeTokens.randomElement(using: &g)!
            case 3: tokens.swapAt(i, Int.random(in: 0..<tokens.count, using: &g))
            default:
                let other = corpus.randomElement(using: &g)!.split(whereSeparator: \.isWhitespace)
                tokens[i] = String(other.randomElement(using: &g) ?? "x")
            }
        }
        return tokens.joined(separator: " ")
    }

    @Test func mutatedCorpusStatementsGetASQLStateAndNeverAnInternalError() throws {
        let node = try SQLEngineTests.Node()
        defer { try? node.stop(); node.dir.remove() }
        let corpus = try Self.corpus()
        try #require(corpus.count > 500)
        // The corpus's sources and some of its rows first, so that mutated statements find streams and tables.
        for sql in corpus where sql.uppercased().hasPrefix("CREATE") && !sql.uppercased().contains(" AS SELECT")
            || sql.uppercased().hasPrefix("INSERT INTO") && sql.uppercased().contains("VALUES")
        {
            _ = try? node.run(sql + ";")
        }
        var g = SeededRandom(seed: 20_261_206)
        var internalErrors: [String] = []
        var failures = 0
        for _ in 0..<1_500 {
            let original = corpus.randomElement(using: &g)!
            let sql = Int.random(in: 0..<5, using: &g) == 0 ? original : Self.mutate(original, &g, corpus: corpus)
            do {
                for result in try node.run(sql + ";") {
                    if case .push(let push) = result { push.close() }  // started, then the client leaves
                }
            } catch let error as EngineError {
                failures += 1
                if error.sqlState.hasPrefix("XX") { internalErrors.append("\(error.sqlState) \(error.message) ← \(sql)") }
            }
        }
        #expect(internalErrors.isEmpty, "\(internalErrors.prefix(10).joined(separator: "\n"))")
        // Enough statements ran to exercise the engine beyond the parser, and the mutations were not all harmless.
        #expect(failures > 300 && failures < 1_450, "\(failures) of 1,500 statements were refused")
        print("engine fuzz: \(failures) of 1,500 refused, \(node.engine.runningQueries.count) queries running, \(node.engine.currentCatalog.sources.count) sources")
        for query in node.engine.runningQueries { _ = try? node.run("TERMINATE \(query.id);") }
    }
}
