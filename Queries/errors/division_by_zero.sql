-- an expression error makes the value NULL; the record still flows
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM q WITH (KAFKA_TOPIC='q', PARTITIONS=1) AS SELECT id, 10 / (v - 5) AS r FROM s EMIT CHANGES;
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
ASSERT VALUES q (id, r) VALUES (1, -2);
ASSERT VALUES q (id, r) VALUES (2, NULL);
