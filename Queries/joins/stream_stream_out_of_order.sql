-- stream-stream join with out-of-order input: a right row arriving before an earlier left row still joins inside the bound
CREATE STREAM l (id VARCHAR KEY, a VARCHAR) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM r (id VARCHAR KEY, b VARCHAR) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM j WITH (KAFKA_TOPIC='j', PARTITIONS=1) AS SELECT l.id AS id, l.a AS a, r.b AS b FROM l JOIN r WITHIN 30 SECONDS GRACE PERIOD 1 MINUTE ON l.id = r.id EMIT CHANGES;
INSERT INTO r (ROWTIME, id, b) VALUES (40000, 'x', 'r1');
INSERT INTO l (ROWTIME, id, a) VALUES (20000, 'x', 'l1');
INSERT INTO l (ROWTIME, id, a) VALUES (5000, 'x', 'l0');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l1', 'r1');
INSERT INTO r (ROWTIME, id, b) VALUES (30000, 'x', 'r2');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l0', 'r2');
ASSERT VALUES j (id, a, b) VALUES ('x', 'l1', 'r2');
