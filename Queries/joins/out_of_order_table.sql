-- a table update that arrives out of order still applies as of its time: each order meets the version current then
CREATE TABLE prices (item VARCHAR PRIMARY KEY, price INT) WITH (KAFKA_TOPIC='prices', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (item VARCHAR KEY, qty INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM priced WITH (KAFKA_TOPIC='priced', PARTITIONS=1) AS SELECT o.item AS item, o.qty * p.price AS total FROM orders o JOIN prices p ON o.item = p.item EMIT CHANGES;
INSERT INTO prices (ROWTIME, item, price) VALUES (1000, 'tea', 2);
INSERT INTO prices (ROWTIME, item, price) VALUES (5000, 'tea', 3);
INSERT INTO orders (ROWTIME, item, qty) VALUES (3000, 'tea', 10);
INSERT INTO orders (ROWTIME, item, qty) VALUES (6000, 'tea', 10);
INSERT INTO orders (ROWTIME, item, qty) VALUES (500, 'tea', 10);
ASSERT VALUES priced (item, total) VALUES ('tea', 20);
ASSERT VALUES priced (item, total) VALUES ('tea', 30);
