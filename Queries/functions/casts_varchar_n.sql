-- CAST to VARCHAR(n) keeps the first n characters (PostgreSQL's explicit cast); NULL stays NULL; a VARCHAR(n) column
-- is refused with 0A000, and VARCHAR(0) is a syntax error
CREATE STREAM s (id INT KEY, a VARCHAR, n BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM out WITH (KAFKA_TOPIC='out', PARTITIONS=1) AS SELECT id, CAST(a AS VARCHAR(3)) AS r0, CAST(n AS VARCHAR(2)) AS r1, CAST(a AS VARCHAR(50)) AS r2 FROM s EMIT CHANGES;
INSERT INTO s (id, a, n) VALUES (1, 'Hello World', 12345), (2, '名前です', NULL), (3, NULL, 7);
ASSERT VALUES out (id, r0, r1, r2) VALUES (1, 'Hel', '12', 'Hello World');
ASSERT VALUES out (id, r0, r1, r2) VALUES (2, '名前で', NULL, '名前です');
ASSERT VALUES out (id, r0, r1, r2) VALUES (3, NULL, '7', NULL);
-- expect error 0A000
CREATE STREAM bounded (id INT KEY, name VARCHAR(10)) WITH (KAFKA_TOPIC='bounded', VALUE_FORMAT='JSON', PARTITIONS=1);
-- expect error 42601
SELECT CAST('x' AS VARCHAR(0));
