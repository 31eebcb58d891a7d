-- aggregates in pull queries (beyond ksqlDB): over the whole table, GROUP BY with HAVING, WHERE before grouping,
-- DISTINCT, NULL groups, ORDER BY (also by aggregates not selected) and LIMIT on the groups, and COUNT(*) of an
-- empty table (0) and SUM of no values (NULL, as in SQL and PostgreSQL; a persistent aggregation keeps ksqlDB's 0)
CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE nobody (id VARCHAR PRIMARY KEY, score INT) WITH (KAFKA_TOPIC='nobody', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, region, score) VALUES ('a', 'eu', 30), ('b', 'us', 10), ('c', 'eu', 20), ('d', NULL, 40), ('e', 'us', NULL);
SELECT COUNT(*) AS n, SUM(score) AS total, MIN(score) AS low, MAX(score) AS high, COUNT(score) AS scored FROM users;
--> 5|100|10|40|4
SELECT region, COUNT(*) AS n, SUM(score) AS total FROM users GROUP BY region ORDER BY region NULLS FIRST;
--> |1|40
--> eu|2|50
--> us|2|10
SELECT region, COUNT(*) AS n FROM users WHERE score > 15 GROUP BY region HAVING COUNT(*) > 1;
--> eu|2
SELECT COUNT(DISTINCT region) AS regions FROM users;
--> 2
SELECT region, SUM(score) AS total FROM users GROUP BY region ORDER BY total DESC LIMIT 1;
--> eu|50
-- ORDER BY may name aggregates and GROUP BY expressions the SELECT list does not show, as in PostgreSQL
SELECT region FROM users WHERE region IS NOT NULL GROUP BY region ORDER BY SUM(score) DESC;
--> eu
--> us
SELECT UCASE(region) AS r FROM users GROUP BY UCASE(region) HAVING COUNT(*) > 0 ORDER BY MAX(score) DESC LIMIT 2;
--> 
--> EU
-- an output name or position mixed with an aggregate that is not selected
SELECT region, COUNT(*) AS n FROM users GROUP BY region ORDER BY n DESC, MIN(score) DESC;
--> eu|2
--> us|2
--> |1
SELECT region, COUNT(*) AS n FROM users GROUP BY region ORDER BY 2, MAX(score);
--> |1
--> us|2
--> eu|2
SELECT COUNT(*) AS n FROM users WHERE id = 'a';
--> 1
SELECT COUNT(*) AS n, SUM(score) AS total FROM nobody;
--> 0|
SELECT COUNT(*) AS n, SUM(score) AS total, AVG(score) AS mean FROM users WHERE score IS NULL;
--> 1||
-- an update and a delete change the next answer
INSERT INTO users (id, region, score) VALUES ('b', 'eu', 5);
DELETE FROM users WHERE id = 'd';
SELECT region, COUNT(*) AS n FROM users GROUP BY region ORDER BY region;
--> eu|3
--> us|1
-- aggregates still cannot appear in WHERE
-- expect error 42803
SELECT id FROM users WHERE COUNT(*) > 1;
