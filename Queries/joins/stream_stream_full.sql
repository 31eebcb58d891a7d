-- stream-stream FULL OUTER join: unmatched rows of either side come out at once with NULLs (eager)
CREATE STREAM l (id VARCHAR KEY, a VARCHAR) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM r (id VARCHAR KEY, b VARCHAR) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM j WITH (KAFKA_TOPIC='j', PARTITIONS=1) AS SELECT l.id AS id, l.a AS a, r.b AS b FROM l FULL OUTER JOIN r WITHIN 10 SECONDS ON l.id = r.id EMIT CHANGES;
INSERT INTO r (ROWTIME, id, b) VALUES (1000, 'x', 'r1');
ASSERT VALUES j (id, a, b) VALUES ('x', NULL, 'r1');
INSERT INTO l (ROWTIME, id, a) VALUES (5000, 'x', 'l1');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l1', 'r1');
INSERT INTO l (ROWTIME, id, a) VALUES (60000, 'x', 'l2');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l2', NULL);
