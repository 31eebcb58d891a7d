-- CONCAT, CONCAT_WS, ||
CREATE STREAM s (id INT KEY, a VARCHAR, b VARCHAR, n INT, m BIGINT, d DOUBLE, tags ARRAY<VARCHAR>, attrs MAP<VARCHAR, INT>, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, CONCAT(a, '!') AS r0, CONCAT_WS('-', b, 'd') AS r1, b || b AS r2, b + 'x' AS r3 FROM s EMIT CHANGES;
INSERT INTO s (id, a, b, n, m, d, tags, attrs, ts) VALUES (1, 'Hello World', 'abc', 5, 1700000000000, 2.5, ARRAY['x', 'yy', 'zzz'], MAP('k' := 1, 'j' := 2), CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3) VALUES (1, 'Hello World!', 'abc-d', 'abcabc', 'abcx');
