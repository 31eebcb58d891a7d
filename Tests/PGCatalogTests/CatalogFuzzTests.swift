import PGCatalog
import SluiceCore
import SluiceTestSupport
import Testing

/// Mutates every captured client query (seeded, so a failure replays) and feeds the result through
/// `isCatalogQuery` and `execute`: any input must come back as rows or a `PGCatalogError`, never a crash.
@Suite struct CatalogFuzzTests {
    static let fragments = [
        "(", ")", "'", "\"", "::", "[", "]", ",", " SELECT ", " UNION ", " NULL ", "$1", "$99", "E'\\", "/*", "--",
        "OPERATOR(",
        "ARRAY[", " WITH RECURSIVE x AS (", "1e999", "-", "*", "::regclass", "::int2[]", " ORDER BY 1 ", " LIMIT -1 ",
        " GROUP BY ", " CASE WHEN ", " END ", " = ANY(", " IS NOT ", "9223372036854775807", "-9223372036854775808",
        " generate_series(1, 100000000000) ", " substring('abc', 9223372036854775807, 9223372036854775807) ", "~ '('",
        "ǅ", "İ",
    ]

    static func mutate(_ sql: String, _ rng: inout SeededRandom) -> String {
        var chars = Array(sql)
        for _ in 0..<(1 + rng.below(3)) {
            let at = rng.below(chars.count + 1)
            switch rng.below(4) {
            case 0: chars.removeSubrange(at..<min(chars.count, at + rng.below(40)))
            case 1: chars.insert(contentsOf: Array(fragments[rng.below(fragments.count)]), at: at)
            case 2: chars = Array(chars.prefix(at))
            default:
                let end = min(chars.count, at + rng.below(60))
                chars.insert(contentsOf: chars[at..<end], at: at)
            }
        }
        return String(chars)
    }

    @Test(arguments: CatalogFixture.names)
    func mutatedQueriesNeverCrash(_ name: String) throws {
        let statements = try CatalogFixture.load(name)
        var rng = SeededRandom(seed: UInt64(bitPattern: Int64(name.utf8.reduce(7) { $0 &* 31 &+ Int($1) })))
        for statement in statements {
            for _ in 0..<40 {
                let sql = Self.mutate(statement.sql, &rng)
                _ = PGCatalog.isCatalogQuery(sql)
                do {
                    _ = try PGCatalog.execute(sql, parameters: statement.parameters + ["{1,2}"], snapshot: .sample)
                } catch {
                    #expect(error.sqlState.count == 5, "\(error) for \(sql)")
                    if let p = error.position { #expect(p >= 1 && p <= sql.count + 1, "position \(p) for \(sql)") }
                }
            }
        }
    }
}
