-- a restart in the middle of a tumbling window: the counts continue from the state the window had
CREATE STREAM s (id INT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY k EMIT CHANGES;
INSERT INTO s (ROWTIME, id, k, v) VALUES (60000, 1, 'a', 1), (70000, 2, 'a', 2), (75000, 3, 'b', 4);
SELECT k, WINDOWSTART, n, total FROM t ORDER BY k;
--> a|60000|2|3
--> b|60000|1|4
-- restart
INSERT INTO s (ROWTIME, id, k, v) VALUES (80000, 4, 'a', 8), (130000, 5, 'a', 16);
SELECT k, WINDOWSTART, n, total FROM t ORDER BY k, WINDOWSTART;
--> a|60000|3|11
--> a|120000|1|16
--> b|60000|1|4
