-- Foreign-key table-table join over tables with different partition counts (users 4, regions 2, the result 3):
-- both tables gather into one internal partition where one task joins them, and the result is keyed by the user
-- in the sink's own partitions. Regions change, users move between regions, rows of either side are deleted, and
-- the query restarts in between.
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=4);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (ROWTIME, id, name, region) VALUES (1000, 'u1', 'ann', 'north'), (1000, 'u2', 'bob', 'north'), (1000, 'u3', 'cid', 'south'), (1000, 'u4', 'dee', 'east'), (1000, 'u5', 'eve', NULL);
INSERT INTO regions (ROWTIME, region, manager) VALUES (500, 'north', 'max'), (500, 'east', 'ed');
CREATE TABLE staff WITH (KAFKA_TOPIC='staff', PARTITIONS=3) AS SELECT u.id AS id, u.name AS name, r.manager AS manager FROM users u JOIN regions r ON u.region = r.region EMIT CHANGES;
CREATE TABLE roster WITH (KAFKA_TOPIC='roster', PARTITIONS=2) AS SELECT u.id AS id, u.region AS region, r.manager AS manager FROM users u LEFT JOIN regions r ON u.region = r.region EMIT CHANGES;
SELECT id, name, manager FROM staff ORDER BY id;
--> u1|ann|max
--> u2|bob|max
--> u4|dee|ed
SELECT id, region, manager FROM roster ORDER BY id;
--> u1|north|max
--> u2|north|max
--> u3|south|
--> u4|east|ed
--> u5||
INSERT INTO regions (ROWTIME, region, manager) VALUES (2000, 'north', 'mia'), (2000, 'south', 'sam');
INSERT INTO users (ROWTIME, id, name, region) VALUES (2000, 'u2', 'bob', 'south');
SELECT id, name, manager FROM staff ORDER BY id;
--> u1|ann|mia
--> u2|bob|sam
--> u3|cid|sam
--> u4|dee|ed
-- restart
DELETE FROM regions WHERE region = 'south';
DELETE FROM users WHERE id = 'u1';
INSERT INTO regions (ROWTIME, region, manager) VALUES (3000, 'east', 'eli');
INSERT INTO users (ROWTIME, id, name, region) VALUES (3000, 'u6', 'fay', 'north');
SELECT id, name, manager FROM staff ORDER BY id;
--> u4|dee|eli
--> u6|fay|mia
SELECT id, region, manager FROM roster ORDER BY id;
--> u2|south|
--> u3|south|
--> u4|east|eli
--> u5||
--> u6|north|mia
-- A key lookup finds each row in the partition its key hashes to.
SELECT id, manager FROM staff WHERE id = 'u6';
--> u6|mia
-- A push query over the same join gathers through internal topics of its own, and reads both tables whole,
-- whatever auto.offset.reset says. (Which version of a region a user meets first depends on which table's
-- gathering task runs first, as in Kafka Streams' table-table joins: u7's region has only ever had one.)
INSERT INTO regions (ROWTIME, region, manager) VALUES (4000, 'polar', 'pete');
INSERT INTO users (ROWTIME, id, name, region) VALUES (4000, 'u7', 'gus', 'polar');
SELECT u.id, r.manager FROM users u JOIN regions r ON u.region = r.region WHERE u.id = 'u7' EMIT CHANGES LIMIT 1;
--> u7|pete
