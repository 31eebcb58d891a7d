-- Table chains: FULL OUTER joins on the key, keyed through either side (a row present only in b or c keeps its
-- key), and a foreign-key join on top of a key join in the same query
CREATE TABLE a (id VARCHAR PRIMARY KEY, x INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE b (id VARCHAR PRIMARY KEY, y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE c (id VARCHAR PRIMARY KEY, z INT, region VARCHAR) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE abc WITH (KAFKA_TOPIC='abc', PARTITIONS=1) AS SELECT a.id AS id, a.x AS x, b.y AS y, c.z AS z FROM a FULL OUTER JOIN b ON a.id = b.id FULL OUTER JOIN c ON a.id = c.id EMIT CHANGES;
CREATE TABLE bc_regions WITH (KAFKA_TOPIC='bc_regions', PARTITIONS=1) AS SELECT b.id AS id, b.y AS y, c.region AS region, r.manager AS manager FROM b JOIN c ON b.id = c.id LEFT JOIN regions r ON c.region = r.region EMIT CHANGES;
INSERT INTO a (ROWTIME, id, x) VALUES (1000, 'k1', 1);
INSERT INTO b (ROWTIME, id, y) VALUES (1000, 'k2', 2), (1000, 'k3', 3);
INSERT INTO c (ROWTIME, id, z, region) VALUES (1000, 'k3', 30, 'north'), (1000, 'k4', 40, 'west');
INSERT INTO regions (ROWTIME, region, manager) VALUES (500, 'north', 'max');
SELECT id, x, y, z FROM abc ORDER BY id;
--> k1|1||
--> k2||2|
--> k3||3|30
--> k4|||40
SELECT id, y, region, manager FROM bc_regions ORDER BY id;
--> k3|3|north|max
INSERT INTO a (ROWTIME, id, x) VALUES (2000, 'k3', 300);
DELETE FROM b WHERE id = 'k2';
INSERT INTO b (ROWTIME, id, y) VALUES (2000, 'k4', 4);
INSERT INTO regions (ROWTIME, region, manager) VALUES (2000, 'west', 'wes');
SELECT id, x, y, z FROM abc ORDER BY id;
--> k1|1||
--> k3|300|3|30
--> k4||4|40
SELECT id, y, region, manager FROM bc_regions ORDER BY id;
--> k3|3|north|max
--> k4|4|west|wes
DELETE FROM c WHERE id = 'k3';
DELETE FROM regions WHERE region = 'west';
SELECT id, x, y, z FROM abc ORDER BY id;
--> k1|1||
--> k3|300|3|
--> k4||4|40
SELECT id, y, region, manager FROM bc_regions ORDER BY id;
--> k4|4|west|
