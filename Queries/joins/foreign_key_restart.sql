-- Foreign-key join across a restart: the index from regions to their users is state in RocksDB, so a region that
-- changes after the restart still reaches the users that joined it before
CREATE TABLE users (id VARCHAR PRIMARY KEY, region VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE regions (region VARCHAR PRIMARY KEY, manager VARCHAR) WITH (KAFKA_TOPIC='regions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE staff WITH (KAFKA_TOPIC='staff', PARTITIONS=1) AS SELECT u.id AS id, r.manager AS manager FROM users u JOIN regions r ON u.region = r.region EMIT CHANGES;
INSERT INTO users (ROWTIME, id, region) VALUES (1000, 'u1', 'north'), (1000, 'u2', 'north');
INSERT INTO regions (ROWTIME, region, manager) VALUES (2000, 'north', 'max');
SELECT id, manager FROM staff ORDER BY id;
--> u1|max
--> u2|max
-- restart
INSERT INTO regions (ROWTIME, region, manager) VALUES (3000, 'north', 'mia');
INSERT INTO users (ROWTIME, id, region) VALUES (4000, 'u3', 'north');
SELECT id, manager FROM staff ORDER BY id;
--> u1|mia
--> u2|mia
--> u3|mia
