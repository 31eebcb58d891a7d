import PGCatalog
import Testing

/// Client queries over 100 relations (1,000 columns): hash joins and index lookups keep these to well under a
/// second each in a debug build (nested loops took minutes, and asyncpg's introspection hit the work budget).
@Suite struct CatalogScaleTests {
    static let big = PGCatalogSnapshot(
        relations: (0..<100).map { i in
            .init(
                name: "rel\(i)", kind: i % 2 == 0 ? .table : .stream,
                columns: [.init(name: "k", typeOID: 20, isKey: true)]
                    + (0..<9).map { .init(name: "c\($0)", typeOID: 25) },
                topic: "topic\(i)")
        })

    @Test(arguments: [
        "jdbc_getColumns", "pgcli_refresh", "psql_d", "jdbc_getTables", "asyncpg_composite", "jdbc_getPrimaryKeys",
    ])
    func fixtureOverHundredRelations(_ name: String) throws {
        let rowType =
            try PGCatalog.execute("SELECT 'rel0'::regtype::oid", parameters: [], snapshot: Self.big).rows[0][0] ?? ""
        for statement in try CatalogFixture.load(name, snapshot: .sample)
        where PGCatalog.isCatalogQuery(statement.sql) && !statement.sql.contains("'t'::") {
            let sql = statement.sql.replacingOccurrences(of: "LIKE 't'", with: "LIKE '%'")
                .replacingOccurrences(of: "relname = 't'", with: "relname LIKE 'rel%'")
            let parameters = statement.parameters.map {
                $0.map { $0.hasPrefix("{") && $0 != "{2210}" ? "{\(rowType)}" : $0 }
            }
            let result = try PGCatalog.execute(sql, parameters: parameters, snapshot: Self.big)
            #expect(!result.columns.isEmpty)
            if name == "jdbc_getColumns" { #expect(result.rows.count == 1_000) }
            if name == "jdbc_getPrimaryKeys" { #expect(result.rows.count == 50) }
        }
    }
}
