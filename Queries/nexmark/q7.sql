-- Query 7: highest bid per 10 s window (one final row per window)
CREATE TABLE q7 WITH (KAFKA_TOPIC='q7', PARTITIONS=1) AS SELECT 'all' AS k, MAX(price) AS maxprice FROM bid WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY 'all' EMIT FINAL;
