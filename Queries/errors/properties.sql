-- bad WITH properties get 22023 with a hint
-- expect error 22023
CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPC='s');
-- expect error 22023
CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', PARTITIONS=0);
-- expect error 0A000
CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='AVRO');
