-- SELECT DISTINCT on pull queries (beyond ksqlDB): one row per distinct output row, after WHERE, grouping and the
-- projection, before ORDER BY and LIMIT; NULLs are equal to each other here, as in PostgreSQL; push queries refuse it
CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR, tier INT, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, region, tier, score) VALUES ('a', 'eu', 1, 30), ('b', 'us', 2, 10), ('c', 'eu', 1, 20), ('d', NULL, 2, 40), ('e', NULL, 1, 5), ('f', 'us', 2, 15);
SELECT DISTINCT region FROM users ORDER BY region NULLS FIRST;
--> 
--> eu
--> us
SELECT DISTINCT region, tier FROM users WHERE score > 10 ORDER BY region, tier;
--> eu|1
--> us|2
--> |2
SELECT DISTINCT UCASE(region) AS r FROM users WHERE region IS NOT NULL ORDER BY r DESC LIMIT 1;
--> US
SELECT ALL region FROM users WHERE id = 'a';
--> eu
-- after an aggregation: the distinct counts per tier
SELECT DISTINCT COUNT(*) AS n FROM users GROUP BY tier;
--> 3
-- ORDER BY must name a selected expression
-- expect error 42P10
SELECT DISTINCT region FROM users ORDER BY score;
-- a push query would have to remember every row it has sent
-- expect error 0A000
SELECT DISTINCT region FROM users EMIT CHANGES;
