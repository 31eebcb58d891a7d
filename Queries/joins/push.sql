-- a push query over a stream-table join
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (uid VARCHAR KEY, oid INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann'), (1000, 'u2', 'Bob');
INSERT INTO orders (ROWTIME, uid, oid) VALUES (2000, 'u1', 1), (2000, 'u2', 2), (2000, 'u1', 3);
SET 'auto.offset.reset'='earliest';
SELECT o.oid, u.name FROM orders o JOIN users u ON o.uid = u.id EMIT CHANGES LIMIT 3;
--> 1|Ann
--> 2|Bob
--> 3|Ann
