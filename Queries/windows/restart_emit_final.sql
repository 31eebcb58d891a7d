-- EMIT FINAL across a restart: a window opened before the restart closes after it with every record counted once
CREATE STREAM s (id INT KEY, k VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, WINDOWSTART AS ws, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k) VALUES (60000, 1, 'a'), (65000, 2, 'a'), (70000, 3, 'b');
SELECT k FROM t;
--> (none)
-- restart
INSERT INTO s (ROWTIME, id, k) VALUES (100000, 4, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (121000, 5, 'c');
ASSERT VALUES t (k, ws, n) VALUES ('a', 60000, 3);
ASSERT VALUES t (k, ws, n) VALUES ('b', 60000, 1);
SELECT k, WINDOWSTART, n FROM t ORDER BY k;
--> a|60000|3
--> b|60000|1
