-- Foreign-key table-table join (LEFT): a user whose region has no row, or has NULL for it, keeps a row with NULL
-- on the right; deleting the region turns its users' rows back to NULLs
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE staff WITH (KAFKA_TOPIC='staff', PARTITIONS=1) AS SELECT u.id AS id, u.region AS region, r.manager AS manager FROM users u LEFT JOIN regions r ON u.region = r.region EMIT CHANGES;
INSERT INTO regions (ROWTIME, region, manager) VALUES (1000, 'north', 'max');
INSERT INTO users (ROWTIME, id, name, region) VALUES (2000, 'u1', 'ann', 'north'), (2000, 'u2', 'bob', 'west'), (2000, 'u3', 'cid', NULL);
SELECT id, region, manager FROM staff ORDER BY id;
--> u1|north|max
--> u2|west|
--> u3||
INSERT INTO regions (ROWTIME, region, manager) VALUES (3000, 'west', 'wes');
DELETE FROM regions WHERE region = 'north';
SELECT id, region, manager FROM staff ORDER BY id;
--> u1|north|
--> u2|west|wes
--> u3||
