-- a join condition with two equalities: both columns must match (the second is checked on the joined row)
CREATE TABLE prices (sku VARCHAR PRIMARY KEY, currency VARCHAR, price INT) WITH (KAFKA_TOPIC='prices', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM sales (sku VARCHAR KEY, currency VARCHAR, qty INT) WITH (KAFKA_TOPIC='sales', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM priced WITH (KAFKA_TOPIC='priced', PARTITIONS=1) AS SELECT s.sku AS sku, s.qty * p.price AS amount FROM sales s JOIN prices p ON s.sku = p.sku AND s.currency = p.currency EMIT CHANGES;
INSERT INTO prices (ROWTIME, sku, currency, price) VALUES (1000, 'a', 'EUR', 3), (1000, 'b', 'USD', 5);
INSERT INTO sales (ROWTIME, sku, currency, qty) VALUES (2000, 'a', 'EUR', 2), (2000, 'b', 'EUR', 7), (2000, 'b', 'USD', 4);
ASSERT VALUES priced (sku, amount) VALUES ('a', 6);
ASSERT VALUES priced (sku, amount) VALUES ('b', 20);
