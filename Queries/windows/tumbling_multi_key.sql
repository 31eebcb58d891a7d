-- a windowed GROUP BY on two columns (a JSON key: KAFKA keys hold one column) with out-of-order input
CREATE STREAM s (id INT KEY, region VARCHAR, kind VARCHAR, amount INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1, KEY_FORMAT='JSON') AS SELECT region, kind, COUNT(*) AS n, SUM(amount) AS total FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY region, kind EMIT CHANGES;
INSERT INTO s (ROWTIME, id, region, kind, amount) VALUES (70000, 1, 'eu', 'x', 1), (10000, 2, 'eu', 'x', 2), (20000, 3, 'eu', 'y', 4), (65000, 4, 'us', 'x', 8), (30000, 5, 'eu', 'x', 16);
SELECT region, kind, WINDOWSTART, n, total FROM t ORDER BY WINDOWSTART, region, kind;
--> eu|x|0|2|18
--> eu|y|0|1|4
--> eu|x|60000|1|1
--> us|x|60000|1|8
