-- CREATE STREAM, INSERT VALUES, a CSAS copy
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM copy WITH (KAFKA_TOPIC='copy', PARTITIONS=1) AS SELECT * FROM s EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES copy (id, k, v, d) VALUES (1, 'a', 1, 1.5);
ASSERT VALUES copy (id, k, v, d) VALUES (2, 'b', 5, 2.0);
ASSERT VALUES copy (id, k, v, d) VALUES (3, 'a', 3, 0.5);
ASSERT VALUES copy (id, k, v, d) VALUES (4, 'a', 3, 4.0);
ASSERT STREAM copy;
