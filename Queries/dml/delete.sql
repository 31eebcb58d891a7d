-- DELETE writes a tombstone for the key
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name) VALUES ('u1', 'Ann');
SELECT name FROM users WHERE id = 'u1';
--> Ann
DELETE FROM users WHERE id = 'u1';
SELECT name FROM users WHERE id = 'u1';
--> (none)
ASSERT VALUES users (id, name) VALUES ('u1', 'Ann');
ASSERT NULL VALUES users (id) KEY ('u1');
