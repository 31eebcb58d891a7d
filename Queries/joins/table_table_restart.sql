-- table-table join across a restart: both sides' state comes back, and a delete after the restart retracts the row
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE scores (id VARCHAR PRIMARY KEY, score INT) WITH (KAFKA_TOPIC='scores', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE j WITH (KAFKA_TOPIC='j', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, s.score AS score FROM users u LEFT JOIN scores s ON u.id = s.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'a', 'Ann'), (1000, 'b', 'Bob');
INSERT INTO scores (ROWTIME, id, score) VALUES (2000, 'a', 5);
SELECT id, name, score FROM j ORDER BY id;
--> a|Ann|5
--> b|Bob|
-- restart
INSERT INTO scores (ROWTIME, id, score) VALUES (3000, 'b', 9);
DELETE FROM scores WHERE id = 'a';
SELECT id, name, score FROM j ORDER BY id;
--> a|Ann|
--> b|Bob|9
