-- WHERE and a computed projection
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM big WITH (KAFKA_TOPIC='big', PARTITIONS=1) AS SELECT id, v * 10 AS v10, k FROM s WHERE v > 2 EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES big (id, v10, k) VALUES (2, 50, 'b');
ASSERT VALUES big (id, v10, k) VALUES (3, 30, 'a');
ASSERT VALUES big (id, v10, k) VALUES (4, 30, 'a');
