-- table-table LEFT and RIGHT joins: the outer side alone gives NULLs on the other (the key column keeps the key);
-- deleting the outer side removes the row
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE scores (id VARCHAR PRIMARY KEY, score INT) WITH (KAFKA_TOPIC='scores', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE lj WITH (KAFKA_TOPIC='lj', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, s.score AS score FROM users u LEFT JOIN scores s ON u.id = s.id EMIT CHANGES;
CREATE TABLE rj WITH (KAFKA_TOPIC='rj', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, s.score AS score FROM users u RIGHT JOIN scores s ON u.id = s.id EMIT CHANGES;
INSERT INTO scores (ROWTIME, id, score) VALUES (1000, 'a', 1);
INSERT INTO users (ROWTIME, id, name) VALUES (2000, 'a', 'Ann');
DELETE FROM users WHERE id = 'a';
ASSERT VALUES lj (id, name, score) VALUES ('a', 'Ann', 1);
ASSERT NULL VALUES lj (id) KEY ('a');
ASSERT VALUES rj (id, name, score) VALUES ('a', NULL, 1);
ASSERT VALUES rj (id, name, score) VALUES ('a', 'Ann', 1);
ASSERT VALUES rj (id, name, score) VALUES ('a', NULL, 1);
SELECT id, name, score FROM rj;
--> a||1
SELECT id FROM lj;
--> (none)
