-- Push queries that re-key run their stages through repartition topics of their own, created with the query and
-- deleted when it ends: GROUP BY a non-key column, PARTITION BY, and a stream-table join on a non-key column, over
-- streams of three partitions.
CREATE STREAM clicks (id INT KEY, page VARCHAR, ms INT) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=3);
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=3);
CREATE STREAM orders (oid INT KEY, uid VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=3);
INSERT INTO clicks (ROWTIME, id, page, ms) VALUES (1000, 1, 'home', 10), (1000, 2, 'cart', 20), (1000, 3, 'home', 30), (1000, 4, 'home', 40), (1000, 5, 'cart', 50);
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann'), (1000, 'u2', 'Bob');
INSERT INTO orders (ROWTIME, oid, uid) VALUES (2000, 1, 'u2'), (2000, 2, 'u1'), (2000, 3, 'u2');
SET 'auto.offset.reset'='earliest';
-- Groups that have not reached the HAVING yet leave as deletes, which LIMIT does not count.
SELECT page, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY page HAVING COUNT(*) = 3 EMIT CHANGES LIMIT 1;
--> home|3|80
SELECT page, id FROM clicks WHERE ms = 40 PARTITION BY page EMIT CHANGES LIMIT 1;
--> home|4
SELECT o.oid, u.name FROM orders o JOIN users u ON o.uid = u.id WHERE o.oid = 2 EMIT CHANGES LIMIT 1;
--> 2|Ann
