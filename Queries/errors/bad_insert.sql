-- bad INSERT values get 22P02 and write nothing
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
-- expect error 22P02
INSERT INTO s (id, v) VALUES (1, 'not a number');
-- expect error 22023
INSERT INTO s (id, v) VALUES (1);
-- ASSERT VALUES with a value its column cannot hold: the cast's SQLSTATE, not an internal error
-- expect error 22P02
ASSERT VALUES s (id, v) VALUES (1, 'not a number');
-- expect error 42846
ASSERT VALUES s (id, v) VALUES (1, ARRAY[1]);
