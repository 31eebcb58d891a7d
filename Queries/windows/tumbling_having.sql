-- HAVING over a windowed aggregate: windows fall in and out of the result as their count crosses the bound
CREATE STREAM s (id INT KEY, k VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE busy WITH (KAFKA_TOPIC='busy', PARTITIONS=1) AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k HAVING COUNT(*) >= 2 EMIT CHANGES;
INSERT INTO s (ROWTIME, id, k) VALUES (1000, 1, 'a'), (2000, 2, 'b'), (3000, 3, 'a'), (11000, 4, 'a'), (12000, 5, 'b'), (13000, 6, 'b');
SELECT k, WINDOWSTART, n FROM busy ORDER BY WINDOWSTART, k;
--> a|0|2
--> b|10000|2
