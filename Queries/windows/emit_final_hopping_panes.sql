-- EMIT FINAL over HOPPING windows whose advance does not divide the size (SIZE 10 s, ADVANCE BY 4 s: 2-second panes
-- merged per window): each window holds exactly the records inside it, and windows still open are not emitted
CREATE STREAM s (id INT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(*) AS n, SUM(v) AS total, MAX(v) AS top FROM s WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 4 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k, v) VALUES (1000, 1, 'a', 1), (5000, 2, 'a', 2), (9000, 3, 'b', 3), (11000, 4, 'a', 4);
INSERT INTO s (ROWTIME, id, k, v) VALUES (40000, 5, 'c', 0);
SELECT k, WINDOWSTART, WINDOWEND, n, total, top FROM t ORDER BY k, WINDOWSTART;
--> a|0|10000|2|3|2
--> a|4000|14000|2|6|4
--> a|8000|18000|1|4|4
--> b|0|10000|1|3|3
--> b|4000|14000|1|3|3
--> b|8000|18000|1|3|3
