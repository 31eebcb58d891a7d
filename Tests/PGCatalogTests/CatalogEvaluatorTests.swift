import PGCatalog
import Testing

/// Expression semantics the client queries depend on.
@Suite struct CatalogEvaluatorTests {
    private func value(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try PGCatalog.execute(sql, parameters: parameters, snapshot: .sample).rows.first?.first ?? nil
    }

    @Test func threeValuedLogic() throws {
        #expect(try value("SELECT NULL AND false") == "f")
        #expect(try value("SELECT NULL OR true") == "t")
        #expect(try value("SELECT NULL AND true") == nil)
        #expect(try value("SELECT 1 IN (2, NULL)") == nil)
        #expect(try value("SELECT 1 NOT IN (2, 3)") == "t")
        #expect(try value("SELECT NULL IS NULL") == "t")
        #expect(try value("SELECT (NULL = 1) IS NOT TRUE") == "t")
    }

    @Test func psqlRegexPatterns() throws {
        #expect(try value("SELECT 't' OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default") == "t")
        #expect(try value("SELECT 'tt' ~ '^(t)$'") == "f")
        #expect(try value("SELECT 'pg_toast' !~ '^pg_'") == "f")
        #expect(try value("SELECT 'ABC' ~* '^(abc|x)$'") == "t")
        #expect(try value("SELECT 'x1' ~ '^[a-z][0-9]$'") == "t")
        #expect(try value("SELECT 'orders' LIKE 'ord%'") == "t")
        #expect(try value("SELECT 'Orders' ILIKE 'ord_rs'") == "t")
        #expect(try value("SELECT 'a_b' LIKE 'a\\_b'") == "t")
    }

    @Test func arraysAndQuantifiers() throws {
        #expect(try value("SELECT 'r' = ANY($1)", ["{r,p,f}"]) == "t")
        #expect(try value("SELECT 'v' = ANY($1)", ["{r,p,f}"]) == "f")
        #expect(try value("SELECT 3 <> ALL(ARRAY[1,2])") == "t")
        #expect(try value("SELECT (ARRAY['a','b'])[2]") == "b")
        #expect(try value("SELECT array_to_string(ARRAY['a', NULL, 'c'], ',')") == "a,c")
        #expect(
            try value("SELECT ARRAY(SELECT relname FROM pg_class WHERE relnamespace = 2200 ORDER BY 1)")
                == "{s,t,t_pkey}")
        #expect(try value("SELECT array_upper(current_schemas(false), 1)") == "1")
        #expect(try value("SELECT '{a,\"b c\"}'::text[]") == "{a,\"b c\"}")
    }

    @Test func castsResolveNames() throws {
        let oid = try CatalogFixture.oid(of: "t")
        #expect(try value("SELECT 'public.t'::regclass::oid") == oid)
        #expect(try value("SELECT \(oid)::regclass") == "t")
        #expect(try value("SELECT 'pg_class'::regclass::oid") == "1259")
        #expect(try value("SELECT 'integer[]'::regtype::oid") == "1007")
        #expect(try value("SELECT 1016::regtype::text") == "bigint[]")
        #expect(try value("SELECT typinput = 'pg_catalog.array_in'::regproc FROM pg_type WHERE oid = 1009") == "t")
        #expect(try value("SELECT typinput FROM pg_type WHERE oid = 1009") == "array_in")
        #expect(try value("SELECT to_regtype('nope')") == nil)
    }

    @Test func groupingOrderingAndLimits() throws {
        let r = try PGCatalog.execute(
            "SELECT relkind, count(*) AS n FROM pg_class WHERE relnamespace = 2200 GROUP BY relkind ORDER BY n DESC, 1 LIMIT 2",
            parameters: [], snapshot: .sample)
        #expect(r.rows == [["i", "1"], ["r", "1"]])
        #expect(r.columns.map(\.typeOID) == [18, 20])
        #expect(
            try value(
                "SELECT string_agg(attname, ',' ORDER BY attnum DESC) FROM pg_attribute WHERE attrelid = 't'::regclass")
                == "amount,name,id")
        #expect(try value("SELECT count(*) FROM (SELECT 1 UNION SELECT 1 UNION ALL SELECT 2) x") == "2")
        #expect(
            try value("SELECT x FROM (VALUES (3), (1), (NULL)) v(x) ORDER BY x NULLS FIRST LIMIT 1 OFFSET 1") == "1")
    }

    @Test func informationSchema() throws {
        let r = try PGCatalog.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
            parameters: [], snapshot: .sample)
        #expect(r.rows == [["s", "VIEW"], ["t", "BASE TABLE"]])
        #expect(try value("SELECT column_name FROM information_schema.key_column_usage WHERE table_name = 't'") == "id")
        #expect(
            try value(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 't' AND column_name = 'name'")
                == "character varying")
    }

    @Test func quotedIdentifiersKeepCase() throws {
        let snapshot = PGCatalogSnapshot(relations: [
            .init(name: "Orders", kind: .table, columns: [.init(name: "ID", typeOID: 20, isKey: true)], topic: "o")
        ])
        let r = try PGCatalog.execute(
            "SELECT relname AS \"Name\" FROM pg_class WHERE relname = 'Orders'", parameters: [], snapshot: snapshot)
        #expect(r.columns.map(\.name) == ["Name"])
        #expect(
            try PGCatalog.execute("SELECT '\"Orders\"'::regclass", parameters: [], snapshot: snapshot).rows == [
                ["\"Orders\""]
            ])
    }

    @Test func settings() throws {
        #expect(try value("SELECT current_setting('application_name')") == "test")
        let custom = PGCatalogSnapshot(settings: ["DateStyle": "ISO, DMY"])
        #expect(
            try PGCatalog.execute("SELECT current_setting('datestyle')", parameters: [], snapshot: custom).rows == [
                ["ISO, DMY"]
            ])
        #expect(try value("SELECT setting FROM pg_settings WHERE name = 'max_index_keys'") == "32")
        #expect(try value("SELECT current_user") == "alice")
        #expect(try value("SELECT current_database()") == "sluice")
    }
}
