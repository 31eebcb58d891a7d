-- pull queries over an aggregate table
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t AS SELECT k, SUM(v) AS total FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
SELECT k, total FROM t ORDER BY k;
--> a|7
--> b|5
