-- a push query from the beginning ends at LIMIT
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO s (id, k, v, d) VALUES (1, 'a', 1, 1.5), (2, 'b', 5, 2.0), (3, 'a', 3, 0.5), (4, 'a', 3, 4.0);
SET 'auto.offset.reset'='earliest';
SELECT id, v FROM s WHERE v >= 3 EMIT CHANGES LIMIT 2;
--> 2|5
--> 3|3
