-- Foreign-key table-table join (INNER): each user meets the region its column names; a region's change reaches
-- every user in it, a user moving region follows, and a deleted region or user takes the user's row away. The
-- result is keyed by the user.
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE staff WITH (KAFKA_TOPIC='staff', PARTITIONS=1) AS SELECT u.id AS id, u.name AS name, r.manager AS manager FROM users u JOIN regions r ON u.region = r.region EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name, region) VALUES (1000, 'u1', 'ann', 'north'), (1000, 'u2', 'bob', 'north'), (1000, 'u3', 'cid', 'south');
INSERT INTO regions (ROWTIME, region, manager) VALUES (2000, 'north', 'max');
SELECT id, name, manager FROM staff ORDER BY id;
--> u1|ann|max
--> u2|bob|max
INSERT INTO regions (ROWTIME, region, manager) VALUES (3000, 'north', 'mia'), (3000, 'south', 'sam');
SELECT id, name, manager FROM staff ORDER BY id;
--> u1|ann|mia
--> u2|bob|mia
--> u3|cid|sam
INSERT INTO users (ROWTIME, id, name, region) VALUES (4000, 'u2', 'bob', 'south');
INSERT INTO regions (ROWTIME, region, manager) VALUES (5000, 'north', 'moe');
SELECT id, name, manager FROM staff ORDER BY id;
--> u1|ann|moe
--> u2|bob|sam
--> u3|cid|sam
DELETE FROM regions WHERE region = 'north';
DELETE FROM users WHERE id = 'u3';
SELECT id, name, manager FROM staff ORDER BY id;
--> u2|bob|sam
