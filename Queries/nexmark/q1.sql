-- Query 1: currency conversion (dollars to euros, in integer cents)
CREATE STREAM q1 WITH (KAFKA_TOPIC='q1', PARTITIONS=1) AS SELECT auction, bidder, price * 908 / 1000 AS price, date_time FROM bid EMIT CHANGES;
