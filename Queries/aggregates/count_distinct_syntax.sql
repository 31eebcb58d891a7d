-- COUNT(DISTINCT x) in a persistent aggregation counts distinct values (it runs as COUNT_DISTINCT); other DISTINCT
-- aggregates are refused there (0A000), since the state keeps one value per aggregate, not the values seen
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(DISTINCT v) AS distinct_values, COUNT(v) AS all_values FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES t (k, distinct_values, all_values) VALUES ('a', 2, 3);
ASSERT VALUES t (k, distinct_values, all_values) VALUES ('b', 1, 1);
-- expect error 0A000
CREATE TABLE u WITH (KAFKA_TOPIC='u', PARTITIONS=1) AS SELECT k, SUM(DISTINCT v) AS total FROM s GROUP BY k EMIT CHANGES;
