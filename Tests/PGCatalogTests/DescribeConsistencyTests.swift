import PGCatalog
import Testing

/// A client Describes a statement before binding it (asyncpg, pgjdbc), so the column types from a run with
/// NULL parameters must equal those of the real run, or binary-format results would be decoded wrongly.
@Suite struct DescribeConsistencyTests {
    @Test(arguments: CatalogFixture.names)
    func typesDoNotDependOnParameters(_ name: String) throws {
        for statement in try CatalogFixture.load(name) where PGCatalog.isCatalogQuery(statement.sql) {
            let real = try PGCatalog.execute(statement.sql, parameters: statement.parameters, snapshot: .sample)
            let nulls = [String?](repeating: nil, count: statement.parameters.count)
            let described = try PGCatalog.execute(statement.sql, parameters: nulls, snapshot: .sample)
            #expect(
                described.columns.map(\.typeOID) == real.columns.map(\.typeOID), "\(name): \(statement.sql.prefix(80))")
            // Statements naming the sample's relations ('t'::regclass) cannot run against an empty catalog.
            guard !statement.sql.contains("'t'::") else { continue }
            let empty = try PGCatalog.execute(
                statement.sql, parameters: statement.parameters, snapshot: PGCatalogSnapshot())
            #expect(
                empty.columns.map(\.typeOID) == real.columns.map(\.typeOID),
                "\(name) (empty catalog): \(statement.sql.prefix(80))")
        }
    }
}
