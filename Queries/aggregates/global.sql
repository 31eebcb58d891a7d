-- an aggregate without GROUP BY (beyond ksqlDB for persistent queries)
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT COUNT(*) AS n FROM s EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0);
ASSERT VALUES t (n) VALUES (2);
