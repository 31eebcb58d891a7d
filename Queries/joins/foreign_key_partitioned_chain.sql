-- A foreign-key join on top of a key join over partitioned tables: b and c join on their key in their own
-- partitions, and their result gathers with regions for the foreign-key join
CREATE TABLE b (id VARCHAR PRIMARY KEY, y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=3);
CREATE TABLE c (id VARCHAR PRIMARY KEY, region VARCHAR) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=3);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE bc_regions WITH (KAFKA_TOPIC='bc_regions', PARTITIONS=3) AS SELECT b.id AS id, b.y AS y, c.region AS region, r.manager AS manager FROM b JOIN c ON b.id = c.id LEFT JOIN regions r ON c.region = r.region EMIT CHANGES;
INSERT INTO b (ROWTIME, id, y) VALUES (1000, 'k1', 1), (1000, 'k2', 2), (1000, 'k3', 3);
INSERT INTO c (ROWTIME, id, region) VALUES (1000, 'k1', 'north'), (1000, 'k2', 'west'), (1000, 'k4', 'north');
INSERT INTO regions (ROWTIME, region, manager) VALUES (1500, 'north', 'max');
SELECT id, y, region, manager FROM bc_regions ORDER BY id;
--> k1|1|north|max
--> k2|2|west|
INSERT INTO c (ROWTIME, id, region) VALUES (2000, 'k3', 'west'), (2000, 'k1', 'west');
INSERT INTO regions (ROWTIME, region, manager) VALUES (2000, 'west', 'wes');
DELETE FROM b WHERE id = 'k2';
SELECT id, y, region, manager FROM bc_regions ORDER BY id;
--> k1|1|west|wes
--> k3|3|west|wes
