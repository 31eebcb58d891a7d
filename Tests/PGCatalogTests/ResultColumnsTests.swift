import Foundation
import PGCatalog
import Testing

/// Column names and type oids must be what PostgreSQL 15 itself returned for the same statements
/// (Fixtures/pg15_result_columns.txt), since clients read results by name and decode them by type.
@Suite struct ResultColumnsTests {
    @Test func columnsMatchPostgreSQL() throws {
        let text = try String(
            contentsOf: CatalogFixture.directory.appendingPathComponent("pg15_result_columns.txt"), encoding: .utf8)
        let expected = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        var actual: [String] = []
        for name in CatalogFixture.names {
            for statement in try CatalogFixture.load(name) where PGCatalog.isCatalogQuery(statement.sql) {
                let r = try PGCatalog.execute(statement.sql, parameters: statement.parameters, snapshot: .sample)
                actual.append("\(name) | " + r.columns.map { "\($0.name):\($0.typeOID)" }.joined(separator: " "))
            }
        }
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) { #expect(a == e) }
    }
}
