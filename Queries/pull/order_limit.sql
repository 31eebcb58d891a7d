-- ORDER BY, LIMIT and OFFSET on pull queries (beyond ksqlDB)
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, name, score) VALUES ('a', 'Ann', 30), ('b', 'Bo', 10), ('c', 'Cy', 20), ('d', NULL, 40);
SELECT id, score FROM users ORDER BY score DESC LIMIT 2 OFFSET 1;
--> a|30
--> c|20
-- ORDER BY a position in the select list, as in PostgreSQL
SELECT name, score FROM users WHERE score IS NOT NULL ORDER BY 2 DESC, 1 LIMIT 2;
--> |40
--> Ann|30
-- expect error 42P10
SELECT name FROM users ORDER BY 2;
-- a position or an output name mixed with a column the SELECT list does not show
SELECT score > 15 AS high, name FROM users ORDER BY 1 DESC, id DESC;
--> TRUE|
--> TRUE|Cy
--> TRUE|Ann
--> FALSE|Bo
SELECT score > 15 AS high, name FROM users ORDER BY high, id DESC;
--> FALSE|Bo
--> TRUE|
--> TRUE|Cy
--> TRUE|Ann
