-- LIKE, IN, BETWEEN
CREATE STREAM s (id INT KEY, a VARCHAR, b VARCHAR, n INT, m BIGINT, d DOUBLE, tags ARRAY<VARCHAR>, attrs MAP<VARCHAR, INT>, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, a LIKE 'Hello%' AS r0, b NOT LIKE '_b_' AS r1, b IN ('x', 'abc') AS r2, n BETWEEN 1 AND 4 AS r3 FROM s EMIT CHANGES;
INSERT INTO s (id, a, b, n, m, d, tags, attrs, ts) VALUES (1, 'Hello World', 'abc', 5, 1700000000000, 2.5, ARRAY['x', 'yy', 'zzz'], MAP('k' := 1, 'j' := 2), CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3) VALUES (1, true, false, true, false);
-- ESCAPE is empty (no escape character) or one character, as in PostgreSQL
CREATE STREAM esc AS SELECT id, a LIKE 'Hello!%' ESCAPE '!' AS r0, '50%' LIKE '50!%' ESCAPE '!' AS r1 FROM s EMIT CHANGES;
ASSERT VALUES esc (id, r0, r1) VALUES (1, false, true);
-- expect error 22025
SELECT a LIKE 'a%' ESCAPE 'xy' AS r FROM s EMIT CHANGES;
