-- Query 0: pass-through
CREATE STREAM q0 WITH (KAFKA_TOPIC='q0', PARTITIONS=1) AS SELECT auction, bidder, price, date_time, extra FROM bid EMIT CHANGES;
