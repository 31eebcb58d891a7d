import SluiceCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@testable import SQLSyntax

/// Feeds random and mutated statements to the parser. Every input must give an AST or a `SyntaxError` (never a
/// crash or a hang), every error must point inside the input, and every AST must survive the unparser round
/// trip. Seeded, so a failure replays.
@Suite struct FuzzTests {
    /// 100,000 by default; `SQLSYNTAX_FUZZ_ITERATIONS` and `SQLSYNTAX_FUZZ_SEED` override for longer runs.
    static let iterations = environment("SQLSYNTAX_FUZZ_ITERATIONS") ?? 100_000
    static let seed = environment("SQLSYNTAX_FUZZ_SEED").map(UInt64.init) ?? 0x5EED_0003

    static func environment(_ name: String) -> Int? {
        guard let value = getenv(name) else { return nil }
        return Int(String(cString: value))
    }

    @Test func mutatedAndRandomStatementsNeverCrash() throws {
        let seeds = TestSupport.grammarExamples()
        try #require(seeds.count > 50)
        let tokenized = seeds.map(Self.tokenTexts)
        let vocabulary = Self.vocabulary(tokenized)
        var random = SeededRandom(seed: Self.seed)
        var parsed = 0
        var failures: [String] = []
        for iteration in 0..<Self.iterations {
            let input = Self.mutate(seeds, tokenized, vocabulary, &random)
            switch Self.check(input) {
            case .parsed: parsed += 1
            case .rejected: break
            case .failed(let reason):
                if failures.count < 10 {
                    failures.append("seed \(Self.seed) #\(iteration) \(reason)\n  input: \(input)")
                }
            }
        }
        #expect(failures == [])
        // The mutations must exercise both outcomes, or the test is not testing much.
        #expect(parsed > Self.iterations / 20)
        #expect(parsed < Self.iterations * 9 / 10)
    }

    // MARK: - Checking

    enum Outcome {
        case parsed
        case rejected
        case failed(String)
    }

    static func check(_ input: String) -> Outcome {
        let length = input.utf8.count
        do {
            let statements = try Parser.parse(input)
            let canonical = Unparser.sql(statements)
            do {
                let reparsed = try Parser.parse(canonical)
                guard reparsed == statements else { return .failed("round trip changed the AST: \(canonical)") }
            } catch {
                return .failed("canonical text does not parse: \(canonical)\n  \(error)")
            }
            return .parsed
        } catch {
            guard error.offset >= 0, error.offset <= length, error.span.end.offset <= length,
                error.line >= 1, error.column >= 1, !error.message.isEmpty
            else { return .failed("bad error location: \(error)") }
            return .rejected
        }
    }

    // MARK: - Mutations

    static func tokenTexts(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        return Lexer.tokenize(bytes).dropLast().map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    static func vocabulary(_ tokenized: [[String]]) -> [String] {
        var words = Set(Keyword.allCases.map(\.rawValue))
        for tokens in tokenized { words.formUnion(tokens) }
        words.formUnion([
            "(", ")", "[", "]", ",", ";", "->", "=>", ":=", "'", "`", "\"", "/*", "--", "${x}", "$0",
            "99999999999999999999", "1e", "@", "é", "\u{1F600}", "NOT", "IS", "BETWEEN",
        ])
        return words.sorted()
    }

    static func mutate(
        _ seeds: [String], _ tokenized: [[String]], _ vocabulary: [String], _ random: inout SeededRandom
    ) -> String {
        let pick = Int(random.next() % UInt64(seeds.count))
        var tokens = tokenized[pick]
        let rounds = 1 + Int(random.next() % 3)
        for _ in 0..<rounds {
            switch random.next() % 9 {
            case 0, 1: deleteToken(&tokens, &random)
            case 2: duplicateToken(&tokens, &random)
            case 3: swapTokens(&tokens, &random)
            case 4, 5:
                tokens.insert(
                    vocabulary[Int(random.next() % UInt64(vocabulary.count))],
                    at: Int(random.next() % UInt64(tokens.count + 1)))
            case 6: return randomBytes(&random)
            case 7: return truncate(seeds[pick], &random)
            default:
                let other = tokenized[Int(random.next() % UInt64(tokenized.count))]
                let cut = Int(random.next() % UInt64(tokens.count + 1))
                let otherCut = Int(random.next() % UInt64(other.count + 1))
                tokens = Array(tokens.prefix(cut)) + Array(other.suffix(from: otherCut))
            }
        }
        return tokens.joined(separator: " ")
    }

    static func deleteToken(_ tokens: inout [String], _ random: inout SeededRandom) {
        guard !tokens.isEmpty else { return }
        tokens.remove(at: Int(random.next() % UInt64(tokens.count)))
    }

    static func duplicateToken(_ tokens: inout [String], _ random: inout SeededRandom) {
        guard !tokens.isEmpty else { return }
        let position = Int(random.next() % UInt64(tokens.count))
        tokens.insert(tokens[position], at: position)
    }

    static func swapTokens(_ tokens: inout [String], _ random: inout SeededRandom) {
        guard tokens.count >= 2 else { return }
        tokens.swapAt(Int(random.next() % UInt64(tokens.count)), Int(random.next() % UInt64(tokens.count)))
    }

    static func randomBytes(_ random: inout SeededRandom) -> String {
        let alphabet = Array("SELECT FROM WHERE ()[],;'`\"-/*+<>=!|:$ {}0123456789.eE\n\tabcXYZ_é".utf8)
        let count = Int(random.next() % 48)
        var bytes: [UInt8] = []
        for _ in 0..<count {
            let roll = random.next()
            bytes.append(
                roll % 8 == 0
                    ? UInt8(truncatingIfNeeded: roll >> 8) : alphabet[Int((roll >> 8) % UInt64(alphabet.count))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func truncate(_ seed: String, _ random: inout SeededRandom) -> String {
        let bytes = Array(seed.utf8)
        return String(decoding: bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))), as: UTF8.self)
    }

    // MARK: - Nesting

    @Test(arguments: ["(", "- ", "NOT ", "ARRAY[", "f(", "CAST(", "a[", "CASE WHEN "])
    func deepNestingIsASyntaxErrorNotAStackOverflow(prefix: String) {
        let sql = "SELECT " + String(repeating: prefix, count: 100_000) + "1 FROM t"
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(sql) }
        do {
            _ = try Parser.parseStatement(sql)
        } catch {
            #expect(error.code == .nestingTooDeep)
        }
    }

    @Test func longFlatChainsAreBoundedToo() {
        let sum = "SELECT " + Array(repeating: "1", count: 50_000).joined(separator: " + ") + " FROM t"
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(sum) }
        let joins = "SELECT * FROM a" + String(repeating: " JOIN b ON x = y", count: 5_000)
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(joins) }
        let types = "CREATE TYPE t AS " + String(repeating: "ARRAY<", count: 10_000) + "INT"
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(types) }
        let unions = Array(repeating: "SELECT 1", count: 5_000).joined(separator: " UNION ALL ")
        #expect(throws: SyntaxError.self) { try Parser.parseStatement(unions) }
    }

    @Test func moderateNestingStillParses() throws {
        let depth = 50
        let sql = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        try TestSupport.roundTrip(sql)
        let chain = "SELECT " + Array(repeating: "a", count: 150).joined(separator: " OR ") + " FROM t"
        try TestSupport.roundTrip(chain)
    }
}
