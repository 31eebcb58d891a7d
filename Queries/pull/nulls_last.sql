-- NULLs sort last ascending
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, name, score) VALUES ('a', 'Ann', 30), ('b', 'Bo', 10), ('c', 'Cy', 20), ('d', NULL, 40);
SELECT id FROM users ORDER BY name;
--> a
--> b
--> c
--> d
