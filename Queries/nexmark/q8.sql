-- Query 8: monitor new users: people who opened an auction in the same 10-second tumbling window in which they
-- registered (one row per person, with the window start and how many such auctions)
CREATE TABLE q8 WITH (KAFKA_TOPIC='q8', PARTITIONS=1) AS SELECT p.id AS id, LATEST_BY_OFFSET(p.name) AS name, MIN(p.date_time / 10000 * 10000) AS starttime, COUNT(*) AS auctions FROM person p JOIN auction a WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS ON p.id = a.seller WHERE p.date_time / 10000 = a.date_time / 10000 GROUP BY p.id EMIT CHANGES;
