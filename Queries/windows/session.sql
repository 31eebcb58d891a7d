-- SESSION windows: a record within the gap extends a session; one bridging two sessions merges them (tombstone
-- for the later one, then the merged session)
CREATE STREAM s (id INT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, WINDOWSTART AS ws, WINDOWEND AS we, COUNT(*) AS n, SUM(v) AS total FROM s WINDOW SESSION (40 SECONDS) GROUP BY k EMIT CHANGES;
INSERT INTO s (ROWTIME, id, k, v) VALUES (10000, 1, 'a', 1);
ASSERT VALUES t (k, ws, we, n, total) VALUES ('a', 10000, 10000, 1, 1);
INSERT INTO s (ROWTIME, id, k, v) VALUES (100000, 2, 'a', 2);
ASSERT VALUES t (k, ws, we, n, total) VALUES ('a', 100000, 100000, 1, 2);
INSERT INTO s (ROWTIME, id, k, v) VALUES (35000, 3, 'a', 4);
ASSERT VALUES t (k, ws, we, n, total) VALUES ('a', 10000, 35000, 2, 5);
INSERT INTO s (ROWTIME, id, k, v) VALUES (70000, 4, 'a', 8);
ASSERT NULL VALUES t (k) KEY ('a');
ASSERT VALUES t (k, ws, we, n, total) VALUES ('a', 10000, 100000, 4, 15);
INSERT INTO s (ROWTIME, id, k, v) VALUES (100000, 5, 'b', 16);
ASSERT VALUES t (k, ws, we, n, total) VALUES ('b', 100000, 100000, 1, 16);
SELECT k, WINDOWSTART, WINDOWEND, n, total FROM t ORDER BY k;
--> a|10000|100000|4|15
--> b|100000|100000|1|16
