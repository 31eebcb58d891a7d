-- pull by key
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, name, score) VALUES ('a', 'Ann', 30), ('b', 'Bo', 10), ('c', 'Cy', 20), ('d', NULL, 40);
SELECT name, score FROM users WHERE id = 'c';
--> Cy|20
