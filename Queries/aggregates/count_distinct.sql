-- count_distinct
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT_DISTINCT(v) AS distinct_values FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES t (k, distinct_values) VALUES ('a', 2);
ASSERT VALUES t (k, distinct_values) VALUES ('b', 1);
