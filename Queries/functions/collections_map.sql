-- MAP functions
CREATE STREAM s (id INT KEY, a VARCHAR, b VARCHAR, n INT, m BIGINT, d DOUBLE, tags ARRAY<VARCHAR>, attrs MAP<VARCHAR, INT>, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, attrs['k'] AS r0, ARRAY_LENGTH(MAP_KEYS(attrs)) AS r1, attrs['missing'] AS r2, MAP_UNION(MAP('a' := 1), MAP('b' := 2))['b'] AS r3, ENTRIES(attrs, true)[1]->K AS r4, ENTRIES(attrs, true)[2]->V AS r5, ARRAY_LENGTH(ENTRIES(attrs, false)) AS r6 FROM s EMIT CHANGES;
INSERT INTO s (id, a, b, n, m, d, tags, attrs, ts) VALUES (1, 'Hello World', 'abc', 5, 1700000000000, 2.5, ARRAY['x', 'yy', 'zzz'], MAP('k' := 1, 'j' := 2), CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3, r4, r5, r6) VALUES (1, 1, 2, NULL, 2, 'j', 1, 2);
