-- GROUP BY two columns (a JSON key)
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, v, COUNT(*) AS n FROM s GROUP BY k, v EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES t (k, v, n) VALUES ('a', 1, 1);
ASSERT VALUES t (k, v, n) VALUES ('b', 5, 1);
ASSERT VALUES t (k, v, n) VALUES ('a', 3, 2);
