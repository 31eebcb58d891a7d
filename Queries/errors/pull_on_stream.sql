-- pull queries need tables
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
-- expect error 42809
SELECT * FROM s;
