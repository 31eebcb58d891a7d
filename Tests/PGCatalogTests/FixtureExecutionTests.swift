import PGCatalog
import Testing

/// Every captured client statement that `isCatalogQuery` claims must parse and run against the sample snapshot.
@Suite struct FixtureExecutionTests {
    /// Statements in the fixtures that are not catalog reads (transaction control, SET, the clients' own data queries).
    static let nonCatalog: Set<String> = [
        "BEGIN", "COMMIT", "ROLLBACK", "SELECT 1", "select t from t", "select array[1::bigint,2] as a, 'x'::name as n",
        "select array[1::bigint] as a", "insert into t values (1, 'a', 1.5) on conflict do nothing",
    ]

    @Test(arguments: CatalogFixture.names)
    func fixtureRuns(_ name: String) throws {
        for statement in try CatalogFixture.load(name) {
            guard PGCatalog.isCatalogQuery(statement.sql) else {
                #expect(
                    Self.nonCatalog.contains(statement.sql) || statement.sql.hasPrefix("SET "),
                    "\(name): \(statement.sql)")
                continue
            }
            do {
                _ = try PGCatalog.execute(statement.sql, parameters: statement.parameters, snapshot: .sample)
            } catch {
                Issue.record("\(name): \(error.sqlState) \(error.message) at \(error.position ?? 0)\n\(statement.sql)")
            }
        }
    }
}
