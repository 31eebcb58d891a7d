-- a push query over UNION ALL: both inputs are read from the beginning, in input order within a step
CREATE STREAM a (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM b (id INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO a (ROWTIME, id, v) VALUES (1000, 1, 'x'), (2000, 2, 'y');
INSERT INTO b (ROWTIME, id, v) VALUES (1500, 3, 'z');
SET 'auto.offset.reset'='earliest';
SELECT id, v FROM a UNION ALL SELECT id, UCASE(v) AS v FROM b EMIT CHANGES LIMIT 3;
--> 1|x
--> 2|y
--> 3|Z
EXPLAIN SELECT id, v FROM a UNION ALL SELECT id, v FROM b EMIT CHANGES;
