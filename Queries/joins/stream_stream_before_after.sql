-- WITHIN (BEFORE, AFTER): a payment must come at most 1 s before and at most 1 minute after its order
CREATE STREAM orders (id VARCHAR KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM payments (id VARCHAR KEY, amount INT) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM paid WITH (KAFKA_TOPIC='paid', PARTITIONS=1) AS SELECT o.id AS id, o.item AS item, p.amount AS amount FROM orders o JOIN payments p WITHIN (1 SECOND, 1 MINUTE) ON o.id = p.id EMIT CHANGES;
INSERT INTO orders (ROWTIME, id, item) VALUES (100000, 'o1', 'tea');
INSERT INTO orders (ROWTIME, id, item) VALUES (100000, 'o2', 'cake');
INSERT INTO payments (ROWTIME, id, amount) VALUES (99500, 'o1', 3);
INSERT INTO payments (ROWTIME, id, amount) VALUES (98000, 'o2', 5);
INSERT INTO payments (ROWTIME, id, amount) VALUES (150000, 'o2', 6);
INSERT INTO payments (ROWTIME, id, amount) VALUES (170000, 'o1', 4);
ASSERT VALUES paid (id, item, amount) VALUES ('o1', 'tea', 3);
ASSERT VALUES paid (id, item, amount) VALUES ('o2', 'cake', 6);
