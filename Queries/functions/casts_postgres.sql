-- PostgreSQL's cast syntax and type names: x::type is CAST(x AS type), binding tighter than any operator;
-- text, int4, int8, float8, bool, bytea, double precision and numeric(p, s) name Sluice's types anywhere;
-- smallint and real (which widen) in casts only
CREATE STREAM s (id INT KEY, a VARCHAR, n INT, d DOUBLE, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, n::text AS r0, a::int4 + 1 AS r1, d::int8 AS r2, '2024-03-01'::date AS r3, CAST(n AS DOUBLE PRECISION) AS r4, CAST(a AS NUMERIC(10, 2)) AS r5, -n::float8 AS r6, n::smallint::real AS r7, 'true'::bool AS r8, ts::date::text AS r9 FROM s EMIT CHANGES;
INSERT INTO s (id, a, n, d, ts) VALUES (1, '7', 42, 3.0, CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9) VALUES (1, '42', 8, 3, CAST('2024-03-01' AS DATE), 42.0, 7.00, -42.0, 42.0, true, '2024-03-01');
-- as column types the exact synonyms work; those that would widen stay unknown, so that no declared column
-- silently changes type
CREATE STREAM pg (id INT8 KEY, name TEXT, ok BOOL, x FLOAT8) WITH (KAFKA_TOPIC='pg', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM pg_out WITH (KAFKA_TOPIC='pg_out', PARTITIONS=1) AS SELECT id, name, ok, x * 2 AS x2 FROM pg EMIT CHANGES;
INSERT INTO pg (id, name, ok, x) VALUES (5000000000, 'n', true, 1.25);
ASSERT VALUES pg_out (id, name, ok, x2) VALUES (5000000000, 'n', true, 2.5);
-- expect error 42704
CREATE STREAM t2 (id INT KEY, a SMALLINT) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON', PARTITIONS=1);
