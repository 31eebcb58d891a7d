-- EMIT FINAL over HOPPING windows, no grace: a record that comes after one of its windows has closed (in the same
-- batch as the record that closed it) counts only in its windows still open
CREATE STREAM s (id INT KEY, k VARCHAR, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t WITH (KAFKA_TOPIC='t', PARTITIONS=1) AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 4 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;
INSERT INTO s (ROWTIME, id, k, v) VALUES (1000, 1, 'a', 1), (9000, 2, 'b', 3);
INSERT INTO s (ROWTIME, id, k, v) VALUES (11000, 3, 'a', 4), (5000, 4, 'a', 2);
INSERT INTO s (ROWTIME, id, k, v) VALUES (40000, 5, 'c', 0);
SELECT k, WINDOWSTART, n, total FROM t ORDER BY k, WINDOWSTART;
--> a|0|1|1
--> a|4000|2|6
--> a|8000|1|4
--> b|0|1|3
--> b|4000|1|3
--> b|8000|1|3
