-- stream-stream join GRACE PERIOD: a record later than stream time minus WITHIN and grace is dropped (not even an
-- outer row), as in Kafka Streams; the next on-time record joins as usual
CREATE STREAM l (id VARCHAR KEY, a VARCHAR) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM r (id VARCHAR KEY, b VARCHAR) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM j WITH (KAFKA_TOPIC='j', PARTITIONS=1) AS SELECT l.id AS id, l.a AS a, r.b AS b FROM l FULL OUTER JOIN r WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS ON l.id = r.id EMIT CHANGES;
INSERT INTO l (ROWTIME, id, a) VALUES (10000, 'x', 'l1');
INSERT INTO l (ROWTIME, id, a) VALUES (100000, 'y', 'l2');
INSERT INTO r (ROWTIME, id, b) VALUES (101000, 'y', 'r2');
ASSERT VALUES j (a, b) VALUES ('l1', NULL);
ASSERT VALUES j (a, b) VALUES ('l2', NULL);
ASSERT VALUES j (a, b) VALUES ('l2', 'r2');
INSERT INTO r (ROWTIME, id, b) VALUES (12000, 'x', 'late');
INSERT INTO r (ROWTIME, id, b) VALUES (102000, 'y', 'r3');
ASSERT VALUES j (a, b) VALUES ('l2', 'r3');
