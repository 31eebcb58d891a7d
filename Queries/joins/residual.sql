-- a non-equi condition on top of the key equality; LEFT keeps rows whose match fails it
CREATE TABLE limits (id VARCHAR PRIMARY KEY, max_amount INT) WITH (KAFKA_TOPIC='limits', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM payments (id VARCHAR KEY, amount INT) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM over_limit WITH (KAFKA_TOPIC='over_limit', PARTITIONS=1) AS SELECT p.id, p.amount, l.max_amount FROM payments p JOIN limits l ON p.id = l.id AND p.amount > l.max_amount EMIT CHANGES;
CREATE STREAM checked WITH (KAFKA_TOPIC='checked', PARTITIONS=1) AS SELECT p.id, p.amount, l.max_amount FROM payments p LEFT JOIN limits l ON p.id = l.id AND p.amount > l.max_amount EMIT CHANGES;
INSERT INTO limits (ROWTIME, id, max_amount) VALUES (1000, 'a', 100);
INSERT INTO payments (ROWTIME, id, amount) VALUES (2000, 'a', 50);
INSERT INTO payments (ROWTIME, id, amount) VALUES (3000, 'a', 150);
ASSERT VALUES over_limit (id, amount, max_amount) VALUES ('a', 150, 100);
ASSERT VALUES checked (id, amount, max_amount) VALUES ('a', 50, NULL);
ASSERT VALUES checked (id, amount, max_amount) VALUES ('a', 150, 100);
