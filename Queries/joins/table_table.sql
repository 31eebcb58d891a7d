-- table-table joins on the key: updates and deletes on either side change the result; INNER and FULL OUTER
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE scores (id VARCHAR PRIMARY KEY, score INT) WITH (KAFKA_TOPIC='scores', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE both_sides WITH (KAFKA_TOPIC='both_sides', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, s.score AS score FROM users u JOIN scores s ON u.id = s.id EMIT CHANGES;
CREATE TABLE either WITH (KAFKA_TOPIC='either', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, s.score AS score FROM users u FULL OUTER JOIN scores s ON u.id = s.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'a', 'Ann');
INSERT INTO scores (ROWTIME, id, score) VALUES (2000, 'a', 5);
INSERT INTO scores (ROWTIME, id, score) VALUES (3000, 'b', 7);
INSERT INTO users (ROWTIME, id, name) VALUES (4000, 'a', 'Annie');
DELETE FROM scores WHERE id = 'a';
ASSERT VALUES both_sides (id, name, score) VALUES ('a', 'Ann', 5);
ASSERT VALUES both_sides (id, name, score) VALUES ('a', 'Annie', 5);
ASSERT NULL VALUES both_sides (id) KEY ('a');
ASSERT VALUES either (id, name, score) VALUES ('a', 'Ann', NULL);
ASSERT VALUES either (id, name, score) VALUES ('a', 'Ann', 5);
ASSERT VALUES either (id, name, score) VALUES ('b', NULL, 7);
ASSERT VALUES either (id, name, score) VALUES ('a', 'Annie', 5);
ASSERT VALUES either (id, name, score) VALUES ('a', 'Annie', NULL);
SELECT id, name, score FROM either ORDER BY id;
--> a|Annie|
--> b||7
SELECT id, name FROM both_sides;
--> (none)
