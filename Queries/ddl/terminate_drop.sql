-- a stream used by a query cannot be dropped until the query is terminated
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM copy WITH (KAFKA_TOPIC='copy', PARTITIONS=1) AS SELECT * FROM s EMIT CHANGES;
-- expect error 2BP01
DROP STREAM s;
TERMINATE ALL;
SHOW QUERIES;
--> (none)
DROP STREAM copy;
DROP STREAM s DELETE TOPIC;
SHOW STREAMS;
--> (none)
