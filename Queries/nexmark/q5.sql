-- Query 5: hot items: bids per auction in the last 10 s, every 2 s (one final row per auction and window)
CREATE TABLE q5 WITH (KAFKA_TOPIC='q5', PARTITIONS=1) AS SELECT auction, COUNT(*) AS num FROM bid WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY auction EMIT FINAL;
