-- a stream enriched from a table, re-keyed by the join column; each order sees the table as of its time
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (oid INT KEY, uid VARCHAR, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM enriched WITH (KAFKA_TOPIC='enriched', PARTITIONS=1) AS SELECT o.uid AS uid, o.oid AS oid, u.name AS name, o.amount AS amount FROM orders o JOIN users u ON o.uid = u.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann');
INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (2000, 1, 'u1', 10);
INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (3000, 2, 'u2', 20);
INSERT INTO users (ROWTIME, id, name) VALUES (4000, 'u1', 'Annie');
INSERT INTO orders (ROWTIME, oid, uid, amount) VALUES (5000, 3, 'u1', 30);
ASSERT VALUES enriched (uid, oid, name, amount, ROWTIME) VALUES ('u1', 1, 'Ann', 10, 2000);
ASSERT VALUES enriched (uid, oid, name, amount, ROWTIME) VALUES ('u1', 3, 'Annie', 30, 5000);
DESCRIBE enriched;
--> UID|STRING (key)
--> OID|INTEGER
--> NAME|STRING
--> AMOUNT|INTEGER
