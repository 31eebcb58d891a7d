-- EMIT FINAL: one row per window once stream time passes its end plus grace; nothing while it is open
CREATE STREAM s (id INT KEY, k VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, WINDOWSTART AS ws, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k) VALUES (60000, 1, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (70000, 2, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (80000, 3, 'b');
INSERT INTO s (ROWTIME, id, k) VALUES (125000, 4, 'a');
SELECT k FROM t;
--> (none)
INSERT INTO s (ROWTIME, id, k) VALUES (130000, 5, 'b');
ASSERT VALUES t (k, ws, n) VALUES ('a', 60000, 2);
ASSERT VALUES t (k, ws, n) VALUES ('b', 60000, 1);
-- late for the closed window: dropped, not re-emitted
INSERT INTO s (ROWTIME, id, k) VALUES (61000, 6, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (250000, 7, 'c');
ASSERT VALUES t (k, ws, n) VALUES ('a', 120000, 1);
ASSERT VALUES t (k, ws, n) VALUES ('b', 120000, 1);
