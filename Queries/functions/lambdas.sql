-- TRANSFORM, FILTER, REDUCE
CREATE STREAM s (id INT KEY, a VARCHAR, b VARCHAR, n INT, m BIGINT, d DOUBLE, tags ARRAY<VARCHAR>, attrs MAP<VARCHAR, INT>, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, TRANSFORM(tags, t => LEN(t)) AS r0, FILTER(tags, t => LEN(t) > 1) AS r1, REDUCE(tags, 0, (acc, t) => acc + LEN(t)) AS r2, TRANSFORM(ARRAY[1, 2], x => x * n) AS r3, TRANSFORM(attrs, (k, v) => UCASE(k), (k, v) => v + 5)['K'] AS r4, MAP_KEYS(FILTER(attrs, (k, v) => v > 1)) AS r5, REDUCE(attrs, 0, (acc, k, v) => acc + v * LEN(k)) AS r6 FROM s EMIT CHANGES;
INSERT INTO s (id, a, b, n, m, d, tags, attrs, ts) VALUES (1, 'Hello World', 'abc', 5, 1700000000000, 2.5, ARRAY['x', 'yy', 'zzz'], MAP('k' := 1, 'j' := 2), CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3, r4, r5, r6) VALUES (1, ARRAY[1, 2, 3], ARRAY['yy', 'zzz'], 6, ARRAY[5, 10], 6, ARRAY['j'], 3);
