-- LEFT JOIN keeps orders without a user, with NULLs; a deleted user stops matching
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (uid VARCHAR KEY, oid INT, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM enriched WITH (KAFKA_TOPIC='enriched', PARTITIONS=1) AS SELECT o.uid, o.oid, u.name FROM orders o LEFT JOIN users u ON o.uid = u.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann');
INSERT INTO orders (ROWTIME, uid, oid, amount) VALUES (2000, 'u1', 1, 10);
INSERT INTO orders (ROWTIME, uid, oid, amount) VALUES (3000, 'u2', 2, 20);
DELETE FROM users WHERE id = 'u1';
INSERT INTO orders (ROWTIME, uid, oid, amount) VALUES (99999999999999, 'u1', 3, 30);
ASSERT VALUES enriched (uid, oid, name) VALUES ('u1', 1, 'Ann');
ASSERT VALUES enriched (uid, oid, name) VALUES ('u2', 2, NULL);
ASSERT VALUES enriched (uid, oid, name) VALUES ('u1', 3, NULL);
