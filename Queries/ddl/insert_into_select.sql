-- INSERT INTO … SELECT merges a stream into another
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM all_s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='all_s', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO all_s SELECT * FROM s WHERE v = 5 EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES all_s (id, k, v) VALUES (2, 'b', 5);
