import PGCatalog
import Testing

@Suite struct CatalogErrorTests {
    private func error(_ sql: String) -> PGCatalogError? {
        do {
            _ = try PGCatalog.execute(sql, parameters: [], snapshot: .sample)
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxErrorCarriesPosition() {
        let e = error("SELECT relname FROM pg_class WHERE")
        #expect(e?.sqlState == "42601")
        #expect(e?.position == 35)
        #expect(error("SELECT relname FROM pg_class WHERE relname = 'x")?.position == 46)
        #expect(error("SELECT (1")?.sqlState == "42601")
    }

    @Test func unknownRelation() {
        let e = error("SELECT * FROM pg_catalog.pg_nope")
        #expect(e?.sqlState == "42P01")
        #expect(e?.position == 15)
        #expect(error("SELECT 'nope'::regclass")?.sqlState == "42P01")
        #expect(error("SELECT * FROM orders")?.sqlState == "42P01")
    }

    @Test func unknownColumn() {
        let e = error("SELECT relnope FROM pg_class")
        #expect(e?.sqlState == "42703")
        #expect(e?.position == 8)
        #expect(error("SELECT c.relname FROM pg_class x")?.sqlState == "42P01")
    }

    @Test func unknownFunction() {
        let e = error("SELECT pg_catalog.no_such_function(1)")
        #expect(e?.sqlState == "42883")
        #expect(e?.position == 8)
    }

    @Test func unknownTypeAndSetting() {
        #expect(error("SELECT 'x'::regtype")?.sqlState == "42704")
        #expect(error("SELECT current_setting('no.such')")?.sqlState == "42704")
        #expect(error("SELECT 1::nosuchtype")?.sqlState == "42704")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let sql = "SELECT " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(error(sql)?.sqlState == "54001")
        let deepNot = "SELECT " + String(repeating: "NOT ", count: 5_000) + "true"
        #expect(error(deepNot)?.sqlState == "54001")
    }

    @Test func runawayRecursionIsBounded() {
        let sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
        #expect(error(sql)?.sqlState == "54001")
    }
}
