import PGCatalog
import Testing

/// psql 15's backslash commands, replayed from the queries psql -E echoed against PostgreSQL 15.
@Suite struct PsqlFixtureTests {
    @Test func listRelationsShowsTableAndStream() throws {
        let r = try #require(try CatalogFixture.results("psql_d").first)
        #expect(r.columns.map(\.name) == ["Schema", "Name", "Type", "Owner"])
        #expect(r.rows == [["public", "s", "view", "alice"], ["public", "t", "table", "alice"]])
    }

    @Test func dtListsExactlyTheTable() throws {
        let r = try #require(try CatalogFixture.results("psql_dt").first)
        #expect(r.rows == [["public", "t", "table", "alice"]])
    }

    @Test func dvListsExactlyTheStream() throws {
        let r = try #require(try CatalogFixture.results("psql_dv").first)
        #expect(r.rows == [["public", "s", "view", "alice"]])
    }

    @Test func dPlusShowsTopicAsDescription() throws {
        let r = try #require(try CatalogFixture.results("psql_dplus").first)
        #expect(r.column("Description") == ["topic s_topic", "topic t"])
        #expect(r.column("Size") == ["0 bytes", "0 bytes"])
        let t = try #require(try CatalogFixture.results("psql_dtplus").first)
        #expect(t.column("Name") == ["t"])
    }

    @Test func dnListsPublicOnly() throws {
        let r = try #require(try CatalogFixture.results("psql_dn").first)
        #expect(r.rows == [["public", "alice"]])
    }

    @Test func lListsTheDatabase() throws {
        let r = try #require(try CatalogFixture.results("psql_l").first)
        #expect(r.column("Name") == ["sluice"])
        #expect(r.column("Owner") == ["alice"])
        #expect(r.column("Encoding") == ["UTF8"])
    }

    @Test func dfListsSluiceFunctions() throws {
        let r = try #require(try CatalogFixture.results("psql_df").first)
        #expect(r.rows == [["public", "ucase", "text", "text", "func"]])
    }

    @Test func duListsTheSessionUser() throws {
        let r = try #require(try CatalogFixture.results("psql_du").first)
        #expect(r.column("rolname") == ["alice"])
        #expect(r.column("memberof") == ["{}"])
    }

    @Test func dTListsNoUserTypes() throws {
        let r = try #require(try CatalogFixture.results("psql_dT").first)
        #expect(r.rows.isEmpty)
    }

    @Test func describeTableFindsOidColumnsAndPrimaryKey() throws {
        let results = try CatalogFixture.results("psql_d_t")
        #expect(results.count == 9)
        let lookup = results[0]
        #expect(lookup.rows == [[try CatalogFixture.oid(of: "t"), "public", "t"]])
        #expect(lookup.type("oid") == 26)
        #expect(results[1].column("relkind") == ["r"])
        #expect(results[1].column("relhasindex") == ["t"])
        let attributes = results[2]
        #expect(attributes.column("attname") == ["id", "name", "amount"])
        #expect(attributes.column("format_type") == ["bigint", "character varying", "double precision"])
        #expect(attributes.column("attnotnull") == ["t", "f", "f"])
        let indexes = results[3]
        #expect(indexes.column("relname") == ["t_pkey"])
        #expect(indexes.column("pg_get_indexdef") == ["CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)"])
        #expect(indexes.column("pg_get_constraintdef") == ["PRIMARY KEY (id)"])
        #expect(results[4...].allSatisfy { $0.rows.isEmpty })
    }

    @Test func describeStreamShowsAViewWithItsColumns() throws {
        let results = try CatalogFixture.results("psql_dplus_s")
        #expect(results[0].column("relname") == ["s"])
        #expect(results[1].column("relkind") == ["v"])
        #expect(results[2].column("attname") == ["id", "name"])
        #expect(results[2].column("format_type") == ["bigint", "text"])
        #expect(results[3].rows.first?.first??.contains("topic s_topic") == true)
    }

    @Test func describeUnknownNameReturnsNoRows() throws {
        let sql = try CatalogFixture.load("psql_d_t")[0].sql.replacingOccurrences(of: "^(t)$", with: "^(nope)$")
        #expect(try PGCatalog.execute(sql, parameters: [], snapshot: .sample).rows.isEmpty)
    }
}
