-- Query 6: average selling price per seller over their last 10 closed auctions. An auction's winning price is its
-- highest bid within its lifetime; the auction has closed once no bid has come for 20 s (every bid of an auction
-- falls within 20 s of its start, so one session holds them all), and EMIT FINAL writes that price once. A stream
-- over the closed auctions' topic then keeps each seller's last ten prices in closing order.
CREATE TABLE q6_closed WITH (KAFKA_TOPIC='q6_closed', PARTITIONS=1) AS SELECT a.id AS id, LATEST_BY_OFFSET(a.seller) AS seller, MAX(b.price) AS final FROM auction a JOIN bid b WITHIN (0 SECONDS, 20 SECONDS) GRACE PERIOD 0 SECONDS ON a.id = b.auction WINDOW SESSION (20 SECONDS, GRACE PERIOD 0 SECONDS) WHERE b.date_time BETWEEN a.date_time AND a.expires GROUP BY a.id EMIT FINAL;
CREATE STREAM q6_closed_auctions (seller BIGINT, final BIGINT) WITH (KAFKA_TOPIC='q6_closed', VALUE_FORMAT='JSON');
CREATE TABLE q6 WITH (KAFKA_TOPIC='q6', PARTITIONS=1) AS SELECT seller, REDUCE(LATEST_BY_OFFSET(final, 10), CAST(0 AS BIGINT), (s, x) => s + x) / ARRAY_LENGTH(LATEST_BY_OFFSET(final, 10)) AS avg_price, ARRAY_LENGTH(LATEST_BY_OFFSET(final, 10)) AS auctions FROM q6_closed_auctions GROUP BY seller EMIT CHANGES;
