-- an aggregation over a join: revenue per region, through two repartitions
CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE STREAM orders (oid INT KEY, uid VARCHAR, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE revenue WITH (KAFKA_TOPIC='revenue', PARTITIONS=2) AS SELECT u.region AS region, SUM(o.amount) AS total, COUNT(*) AS n FROM orders o JOIN users u ON o.uid = u.id GROUP BY u.region EMIT CHANGES;
INSERT INTO users (ROWTIME, id, region) VALUES (1000, 'u1', 'eu'), (1000, 'u2', 'us'), (1000, 'u3', 'eu');
INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (2000, 1, 'u1', 10), (2000, 2, 'u2', 20), (2000, 3, 'u3', 30), (2000, 4, 'u9', 40);
SELECT region, total, n FROM revenue ORDER BY region;
--> eu|40|2
--> us|20|1
