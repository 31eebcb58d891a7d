-- aggregates skip NULL inputs; COUNT(*) does not
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS total, MAX(v) AS hi FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s (id, k, v) VALUES (1, 'a', NULL), (2, 'a', 4);
ASSERT VALUES t (k, n, nv, total, hi) VALUES ('a', 2, 1, 4, 4);
