-- ALTER STREAM|TABLE … ADD COLUMN appends value columns; old rows read NULL for them
CREATE STREAM s (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO s (id, v) VALUES (1, 'a');
ALTER STREAM s ADD COLUMN n INT, ADD w DOUBLE;
INSERT INTO s (id, v, n, w) VALUES (2, 'b', 7, 1.5);
SET 'auto.offset.reset' = 'earliest';
SELECT id, v, n, w FROM s EMIT CHANGES LIMIT 2;
--> 1|a||
--> 2|b|7|1.5
DESCRIBE s;
--> ID|INTEGER (key)
--> V|STRING
--> N|INTEGER
--> W|DOUBLE
-- expect error 42701
ALTER STREAM s ADD COLUMN v INT;
-- expect error 42809
ALTER TABLE s ADD COLUMN x INT;
-- expect error 42P01
ALTER STREAM nowhere ADD COLUMN x INT;
-- a table is re-materialized with the new column: pull queries read it
CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO t (id, v) VALUES (1, 'a');
ALTER TABLE t ADD COLUMN n INT;
INSERT INTO t (id, v, n) VALUES (2, 'b', 3);
SELECT id, v, n FROM t WHERE id = 2;
--> 2|b|3
-- a query's sink is not altered
CREATE STREAM copy AS SELECT id, v FROM s EMIT CHANGES;
-- expect error 0A000
ALTER STREAM copy ADD COLUMN x INT;
