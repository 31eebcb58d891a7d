-- an n-way join: a stream enriched by two tables in one query, LEFT on the second so missing rows give NULLs
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE tiers (id VARCHAR PRIMARY KEY, tier VARCHAR) WITH (KAFKA_TOPIC='tiers', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (uid VARCHAR KEY, oid INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM enriched WITH (KAFKA_TOPIC='enriched', PARTITIONS=1) AS SELECT o.uid AS uid, o.oid AS oid, u.name AS name, t.tier AS tier FROM orders o JOIN users u ON o.uid = u.id LEFT JOIN tiers t ON o.uid = t.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann'), (1000, 'u2', 'Bob');
INSERT INTO tiers (ROWTIME, id, tier) VALUES (1000, 'u1', 'gold');
INSERT INTO orders (ROWTIME, uid, oid) VALUES (2000, 'u1', 1), (2000, 'u2', 2), (2000, 'u3', 3);
ASSERT VALUES enriched (uid, oid, name, tier) VALUES ('u1', 1, 'Ann', 'gold');
ASSERT VALUES enriched (uid, oid, name, tier) VALUES ('u2', 2, 'Bob', NULL);
