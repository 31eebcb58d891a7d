-- the table side of a stream-table join is rebuilt after a restart; updates after it replace it
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (uid VARCHAR KEY, oid INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM enriched WITH (KAFKA_TOPIC='enriched', PARTITIONS=1) AS SELECT o.uid, o.oid, u.name FROM orders o JOIN users u ON o.uid = u.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann'), (1000, 'u2', 'Bob');
INSERT INTO orders (ROWTIME, uid, oid) VALUES (2000, 'u1', 1);
ASSERT VALUES enriched (uid, oid, name) VALUES ('u1', 1, 'Ann');
-- restart
INSERT INTO orders (ROWTIME, uid, oid) VALUES (3000, 'u2', 2);
INSERT INTO users (ROWTIME, id, name) VALUES (4000, 'u1', 'Annie');
INSERT INTO orders (ROWTIME, uid, oid) VALUES (5000, 'u1', 3);
ASSERT VALUES enriched (uid, oid, name) VALUES ('u1', 1, 'Ann');
ASSERT VALUES enriched (uid, oid, name) VALUES ('u2', 2, 'Bob');
ASSERT VALUES enriched (uid, oid, name) VALUES ('u1', 3, 'Annie');
