-- EMIT FINAL over HOPPING windows (SIZE 10 s, ADVANCE BY 2 s) across a restart: panes written before the restart
-- merge with panes written after it, and each window comes out once
CREATE STREAM s (id INT KEY, k VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(*) AS n FROM s WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k) VALUES (1000, 1, 'a'), (3000, 2, 'a');
SELECT k FROM t;
--> (none)
-- restart
INSERT INTO s (ROWTIME, id, k) VALUES (9000, 3, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (30000, 4, 'c');
SELECT k, WINDOWSTART, n FROM t ORDER BY k, WINDOWSTART;
--> a|0|3
--> a|2000|2
--> a|4000|1
--> a|6000|1
--> a|8000|1
