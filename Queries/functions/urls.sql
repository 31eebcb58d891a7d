-- URL functions
CREATE STREAM s (id INT KEY, a VARCHAR, b VARCHAR, n INT, m BIGINT, d DOUBLE, tags ARRAY<VARCHAR>, attrs MAP<VARCHAR, INT>, ts TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, URL_EXTRACT_HOST('https://a.com:8080/p?q=1#f') AS r0, URL_EXTRACT_PORT('https://a.com:8080/p') AS r1, URL_EXTRACT_PARAMETER('https://a.com/p?q=1&r=2', 'r') AS r2, URL_EXTRACT_PATH('https://a.com/p/q') AS r3 FROM s EMIT CHANGES;
INSERT INTO s (id, a, b, n, m, d, tags, attrs, ts) VALUES (1, 'Hello World', 'abc', 5, 1700000000000, 2.5, ARRAY['x', 'yy', 'zzz'], MAP('k' := 1, 'j' := 2), CAST('2024-03-01T12:34:56' AS TIMESTAMP));
ASSERT VALUES out (id, r0, r1, r2, r3) VALUES (1, 'a.com', 8080, '2', '/p/q');
