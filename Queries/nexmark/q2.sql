-- Query 2: selection
CREATE STREAM q2 WITH (KAFKA_TOPIC='q2', PARTITIONS=1) AS SELECT auction, price FROM bid WHERE auction % 123 = 0 EMIT CHANGES;
