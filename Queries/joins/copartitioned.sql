-- re-keyed rows land in the partition of the same key in the table (4 partitions, 12 keys)
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=4);
CREATE STREAM orders (oid INT KEY, uid VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=4);
CREATE TABLE per_user WITH (KAFKA_TOPIC='per_user', PARTITIONS=4) AS SELECT o.uid AS uid, COUNT(*) AS n FROM orders o JOIN users u ON o.uid = u.id GROUP BY o.uid EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'a'), (1000, 'u2', 'b'), (1000, 'u3', 'c'), (1000, 'u4', 'd'), (1000, 'u5', 'e'), (1000, 'u6', 'f'), (1000, 'u7', 'g'), (1000, 'u8', 'h'), (1000, 'u9', 'i'), (1000, 'u10', 'j'), (1000, 'u11', 'k'), (1000, 'u12', 'l');
INSERT INTO orders (ROWTIME, oid, uid) VALUES (2000, 1, 'u1'), (2000, 2, 'u2'), (2000, 3, 'u3'), (2000, 4, 'u4'), (2000, 5, 'u5'), (2000, 6, 'u6'), (2000, 7, 'u7'), (2000, 8, 'u8'), (2000, 9, 'u9'), (2000, 10, 'u10'), (2000, 11, 'u11'), (2000, 12, 'u12'), (2000, 13, 'u1');
SELECT uid, n FROM per_user ORDER BY uid;
--> u1|2
--> u10|1
--> u11|1
--> u12|1
--> u2|1
--> u3|1
--> u4|1
--> u5|1
--> u6|1
--> u7|1
--> u8|1
--> u9|1
