-- SESSION windows with EMIT FINAL and no grace: a session is final only once stream time is past its end plus the
-- gap (until then a record that is not late may still extend it, as 'a' at 11 s does), as in Kafka Streams
CREATE STREAM s (id INT KEY, k VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, WINDOWSTART AS ws, WINDOWEND AS we, COUNT(*) AS n FROM s WINDOW SESSION (10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k) VALUES (1000, 1, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (5000, 2, 'b');
INSERT INTO s (ROWTIME, id, k) VALUES (11000, 3, 'a');
INSERT INTO s (ROWTIME, id, k) VALUES (21000, 4, 'c');
SELECT k, ws, we, n FROM t ORDER BY k;
--> b|5000|5000|1
INSERT INTO s (ROWTIME, id, k) VALUES (40000, 5, 'c');
SELECT k, ws, we, n FROM t ORDER BY k;
--> a|1000|11000|2
--> b|5000|5000|1
--> c|21000|21000|1
