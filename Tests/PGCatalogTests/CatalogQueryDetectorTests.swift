import PGCatalog
import Testing

@Suite struct CatalogQueryDetectorTests {
    @Test(arguments: [
        "SELECT * FROM orders EMIT CHANGES",
        "CREATE STREAM pageviews (page VARCHAR KEY, n BIGINT) WITH (kafka_topic='pv', value_format='json')",
        "SELECT page, n FROM pages WHERE page = 'x'",
        "SELECT page FROM pages WHERE page = 'pg_class' -- pg_catalog",
        "INSERT INTO t VALUES (1, 'pg_type::regclass')",
        "SELECT version FROM releases",
        "SELECT 1", "BEGIN", "SET extra_float_digits = 3", "SHOW TABLES",
        "select t from t",
    ])
    func ordinaryStatementsAreNotCatalogQueries(_ sql: String) {
        #expect(!PGCatalog.isCatalogQuery(sql))
    }

    @Test(arguments: [
        "SELECT * FROM pg_catalog.pg_class",
        "select relname from pg_class",
        "SELECT * FROM information_schema.tables",
        "SELECT 't'::regclass",
        "SELECT x::oid FROM y",
        "SELECT 1 WHERE 'a' OPERATOR(pg_catalog.~) 'a'",
        "SELECT * FROM unnest(current_schemas(true))",
        "SELECT current_setting('jit')",
        "SELECT has_table_privilege('t', 'select')",
        "SELECT version()",
        "SELECT current_database()",
        "select current_user",
        "SELECT pg_backend_pid()",
    ])
    func catalogStatementsAreDetected(_ sql: String) {
        #expect(PGCatalog.isCatalogQuery(sql))
    }
}
