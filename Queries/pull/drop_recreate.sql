-- a table dropped and created again under its name, over the same topic with one more column, materializes the topic
-- from its start with the new columns; CREATE OR REPLACE does the same
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name) VALUES ('a', 'Ann'), ('b', 'Bo');
SELECT name FROM users WHERE id = 'b';
--> Bo
DROP TABLE users;
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name, score) VALUES ('c', 'Cy', 20);
SELECT id, name, score FROM users ORDER BY id;
--> a|Ann|
--> b|Bo|
--> c|Cy|20
SELECT score FROM users WHERE id = 'c';
--> 20
CREATE OR REPLACE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT, team VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name, score, team) VALUES ('b', 'Bo', 11, 'red');
SELECT id, score, team FROM users ORDER BY id;
--> a||
--> b|11|red
--> c|20|
-- restart
SELECT id, score, team FROM users ORDER BY id;
--> a||
--> b|11|red
--> c|20|
