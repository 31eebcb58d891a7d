import Foundation
import PGCatalog
import Testing

/// `PGCATALOG_DUMP=1 swift test --filter FixtureDumpTests` prints every fixture's results, for eyeballing
/// them against what PostgreSQL returns; it asserts nothing and is skipped otherwise.
@Suite struct FixtureDumpTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PGCATALOG_DUMP"] != nil))
    func dump() throws {
        for name in CatalogFixture.names {
            for statement in try CatalogFixture.load(name) where PGCatalog.isCatalogQuery(statement.sql) {
                let result = try PGCatalog.execute(statement.sql, parameters: statement.parameters, snapshot: .sample)
                print("TYPES \(name) | " + result.columns.map { "\($0.name):\($0.typeOID)" }.joined(separator: " "))
                print("=== \(name): \(statement.sql.prefix(90).replacingOccurrences(of: "\n", with: " "))")
                print(result.columns.map { "\($0.name):\($0.typeOID)" }.joined(separator: " | "))
                for row in result.rows.prefix(12) { print(row.map { $0 ?? "NULL" }.joined(separator: " | ")) }
                if result.rows.count > 12 { print("… \(result.rows.count) rows") }
            }
        }
    }
}
