-- ORDER BY, LIMIT and OFFSET on pull queries (beyond ksqlDB)
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, name, score) VALUES ('a', 'Ann', 30), ('b', 'Bo', 10), ('c', 'Cy', 20), ('d', NULL, 40);
SELECT id, score FROM users ORDER BY score DESC LIMIT 2 OFFSET 1;
--> a|30
--> c|20
