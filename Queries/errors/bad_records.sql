-- a value that cannot be deserialized is skipped; the query goes on
CREATE STREAM raw (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='raw', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM typed (id INT KEY, v INT) WITH (KAFKA_TOPIC='raw', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM ok WITH (KAFKA_TOPIC='ok', PARTITIONS=1) AS SELECT id, v FROM typed EMIT CHANGES;
INSERT INTO raw (id, v) VALUES (1, 'x'), (2, '7');
ASSERT VALUES ok (id, v) VALUES (2, 7);
