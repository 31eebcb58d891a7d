-- a NULL value column is not a tombstone
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name) VALUES ('u1', NULL);
SELECT id, name FROM users;
--> u1|
