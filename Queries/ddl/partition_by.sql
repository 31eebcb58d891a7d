-- PARTITION BY re-keys a stream
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM by_k WITH (KAFKA_TOPIC='by_k', PARTITIONS=1) AS SELECT k, id, v FROM s PARTITION BY k EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES by_k (k, id, v) VALUES ('a', 1, 1);
ASSERT VALUES by_k (k, id, v) VALUES ('b', 2, 5);
ASSERT STREAM by_k (k VARCHAR KEY, id INT, v INT);
