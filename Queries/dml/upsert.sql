-- tables keep the latest row per key
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name) VALUES ('u1', 'Ann'), ('u1', 'Anna');
SELECT name FROM users WHERE id = 'u1';
--> Anna
