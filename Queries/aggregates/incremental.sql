-- updates arrive as the input does
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, SUM(v) AS total FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s (id, k, v) VALUES (1, 'a', 1);
ASSERT VALUES t (k, total) VALUES ('a', 1);
INSERT INTO s (id, k, v) VALUES (2, 'a', 10);
ASSERT VALUES t (k, total) VALUES ('a', 11);
