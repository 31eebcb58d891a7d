-- stream-stream join state survives a restart: a left row from before it meets a right row after it
CREATE STREAM l (id VARCHAR KEY, a VARCHAR) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM r (id VARCHAR KEY, b VARCHAR) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM j WITH (KAFKA_TOPIC='j', PARTITIONS=1) AS SELECT l.id AS id, l.a AS a, r.b AS b FROM l JOIN r WITHIN 1 MINUTE ON l.id = r.id EMIT CHANGES;
INSERT INTO l (ROWTIME, id, a) VALUES (10000, 'x', 'l1'), (10000, 'y', 'l2');
INSERT INTO r (ROWTIME, id, b) VALUES (20000, 'y', 'r0');
ASSERT VALUES j (id, a, b) VALUES ('y', 'l2', 'r0');
-- restart
INSERT INTO r (ROWTIME, id, b) VALUES (30000, 'x', 'r1');
ASSERT VALUES j (id, a, b) VALUES ('y', 'l2', 'r0');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l1', 'r1');
