-- aggregating a table: an update retracts the row's old value from its group and adds the new one; a delete
-- retracts it (ksqlDB's undo); a row moving to another group leaves the first
CREATE TABLE items (id VARCHAR PRIMARY KEY, category VARCHAR, price INT) WITH (KAFKA_TOPIC='items', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE per_category WITH (KAFKA_TOPIC='per_category', PARTITIONS=1) AS SELECT category, COUNT(*) AS n, SUM(price) AS total, AVG(price) AS mean FROM items GROUP BY category EMIT CHANGES;
INSERT INTO items (ROWTIME, id, category, price) VALUES (1000, 'a', 'books', 10), (1000, 'b', 'books', 20), (1000, 'c', 'games', 30);
SELECT category, n, total, mean FROM per_category ORDER BY category;
--> books|2|30|15.0
--> games|1|30|30.0
INSERT INTO items (ROWTIME, id, category, price) VALUES (2000, 'a', 'books', 40);
INSERT INTO items (ROWTIME, id, category, price) VALUES (2000, 'b', 'games', 50);
SELECT category, n, total, mean FROM per_category ORDER BY category;
--> books|1|40|40.0
--> games|2|80|40.0
DELETE FROM items WHERE id = 'c';
SELECT category, n, total, mean FROM per_category ORDER BY category;
--> books|1|40|40.0
--> games|1|50|50.0
