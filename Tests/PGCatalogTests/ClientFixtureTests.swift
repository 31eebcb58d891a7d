import PGCatalog
import Testing

/// pgjdbc, asyncpg, psycopg 3, psycopg2 and pgcli catalog queries, replayed from a PostgreSQL 15 capture.
@Suite struct ClientFixtureTests {
    @Test func jdbcGetTablesClassifiesTableAndStream() throws {
        let r = try #require(try CatalogFixture.results("jdbc_getTables").first)
        let user = r.rows.filter { $0[1] == "public" }
        #expect(user.map { [$0[2], $0[3]] } == [["t_pkey", "INDEX"], ["t", "TABLE"], ["s", "VIEW"]])
        #expect(r.column("remarks").contains("topic t"))
        #expect(r.rows.contains { $0[2] == "pg_class" && $0[3] == "SYSTEM TABLE" })
    }

    @Test func jdbcGetColumnsReturnsTypesAndNullability() throws {
        let r = try #require(try CatalogFixture.results("jdbc_getColumns").first)
        #expect(r.column("attname") == ["id", "name", "amount"])
        #expect(r.column("atttypid") == ["20", "1043", "701"])
        #expect(r.column("attnotnull") == ["t", "f", "f"])
        #expect(r.column("attnum") == ["1", "2", "3"])
        #expect(r.column("typtype") == ["b", "b", "b"])
    }

    @Test func jdbcGetPrimaryKeysReturnsTheKeyColumn() throws {
        let r = try #require(try CatalogFixture.results("jdbc_getPrimaryKeys").first)
        #expect(r.rows == [[nil, "public", "t", "id", "1", "t_pkey"]])
    }

    @Test func jdbcGetSchemasListsThreeSchemas() throws {
        let r = try #require(try CatalogFixture.results("jdbc_getSchemas").first)
        #expect(r.column("table_schem") == ["information_schema", "pg_catalog", "public"])
    }

    @Test func jdbcTypeInfoCacheResolvesRegclass() throws {
        let results = try CatalogFixture.results("jdbc_typeinfo")
        #expect(results[0].rows == [["t", "{1}", "x"]])
        #expect(results[0].columns.map(\.typeOID) == [2205, 1016, 19])
        #expect(results[1].rows == [["t", "pg_catalog", "regclass"]])
        #expect(results[2].rows == [["f", "b", "regclass", "2205"]])
    }

    @Test func jdbcTypeInfoCacheSeesArrays() throws {
        let sql = try CatalogFixture.load("jdbc_typeinfo")[4].sql
        let r = try PGCatalog.execute(sql, parameters: ["1016"], snapshot: .sample)
        #expect(r.rows == [["t", "b", "_int8", "1016"]])
    }

    @Test func asyncpgTypeByNameFindsArrayElement() throws {
        let results = try CatalogFixture.results("asyncpg_type_by_oid")
        #expect(results[0].rows == [["1016", "20", "b"]])
        let rowType = try PGCatalog.execute("SELECT 't'::regtype::oid", parameters: [], snapshot: .sample).rows[0][0]
        #expect(results[1].rows == [[rowType, "0", "c"]])
    }

    @Test func asyncpgIntrospectionWalksCompositeAndArrayTypes() throws {
        let results = try CatalogFixture.results("asyncpg_composite")
        #expect(results[0].rows == [["off", "off"]])
        let composite = results[1]
        #expect(composite.column("name") == ["int8", "float8", "varchar", "t"])
        #expect(composite.column("attrnames").last == "{id,name,amount}")
        #expect(composite.column("attrtypoids").last == "{20,1043,701}")
        let regclassArray = results[4]
        #expect(regclassArray.column("name") == ["regclass", "_regclass"])
        #expect(regclassArray.column("elemtype_name") == ["-", "regclass"])
        #expect(results[6].rows == [["{t}"]])
    }

    @Test func asyncpgIntrospectionOfBigintArray() throws {
        let sql = try CatalogFixture.load("asyncpg_composite")[2].sql
        let r = try PGCatalog.execute(sql, parameters: ["{1016}"], snapshot: .sample)
        #expect(r.column("name") == ["int8", "_int8"])
        #expect(r.column("elemtype") == ["0", "20"])
        #expect(r.column("elemdelim") == [nil, ","])
    }

    @Test func psycopgTypeInfoFetch() throws {
        let results = try CatalogFixture.results("psycopg_typeinfo")
        #expect(results[0].rows == [["int4", "23", "1007", "integer", ","]])
        #expect(results[1].rows == [["_int8", "1016", "0", "bigint[]", ","]])
        #expect(results[2].column("field_names") == ["{id,name,amount}"])
        #expect(results[2].column("field_types") == ["{20,1043,701}"])
    }

    @Test func psycopg2RegisterComposite() throws {
        let r = try #require(try CatalogFixture.results("psycopg2_composite").first)
        #expect(r.column("attname") == ["id", "name", "amount"])
    }

    @Test func pgcliCompletionRefresh() throws {
        let results = try CatalogFixture.results("pgcli_refresh")
        #expect(results[0].rows == [["pg_catalog"], ["public"]])
        #expect(results[2].rows.filter { $0[0] == "public" } == [["public", "t"]])
        #expect(results[3].rows.filter { $0[0] == "public" } == [["public", "s"]])
        #expect(results[4].column("type_name") == ["bigint", "character varying", "double precision"])
        #expect(results[5].column("column_name") == ["id", "name"])
        #expect(results[6].rows.contains { $0[1] == "ucase" && $0[5] == "text" })
        #expect(results[9].column("datname") == ["sluice"])
    }
}
