-- Query 4: average closing price per category: the highest bid of each auction within its lifetime (bids between
-- its start and expiry), averaged per category over the auctions that have one. The averages follow the maxima as
-- they rise (an aggregation over a table retracts each auction's previous maximum).
CREATE TABLE q4_final WITH (KAFKA_TOPIC='q4_final', PARTITIONS=1, KEY_FORMAT='JSON') AS SELECT a.id AS id, a.category AS category, MAX(b.price) AS final FROM auction a JOIN bid b WITHIN (0 SECONDS, 20 SECONDS) GRACE PERIOD 0 SECONDS ON a.id = b.auction WHERE b.date_time BETWEEN a.date_time AND a.expires GROUP BY a.id, a.category EMIT CHANGES;
CREATE TABLE q4 WITH (KAFKA_TOPIC='q4', PARTITIONS=1) AS SELECT category, AVG(final) AS avg_final, COUNT(*) AS auctions FROM q4_final GROUP BY category EMIT CHANGES;
