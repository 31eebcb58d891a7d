-- joins that cannot run get clear errors
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM orders (oid INT KEY, uid VARCHAR) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM wide (oid INT KEY, uid VARCHAR) WITH (KAFKA_TOPIC='wide', VALUE_FORMAT='JSON', PARTITIONS=3);
-- expect error 22023
SELECT w.oid, u.name FROM wide w JOIN users u ON w.uid = u.id EMIT CHANGES;
-- expect error 0A000
SELECT u.id, r.manager FROM users u FULL OUTER JOIN regions r ON u.region = r.region EMIT CHANGES;
-- expect error 0A000
SELECT u.id, r.region FROM users u JOIN regions r ON u.name = r.manager EMIT CHANGES;
-- expect error 0A000
SELECT o.oid, u.name FROM orders o JOIN users u ON o.uid = u.name EMIT CHANGES;
-- expect error 0A000
SELECT o.oid FROM orders o JOIN wide w ON o.oid = w.oid EMIT CHANGES;
-- expect error 0A000
SELECT o.oid, u.name FROM orders o FULL OUTER JOIN users u ON o.uid = u.id EMIT CHANGES;
