-- A three-table join on the primary key in one query (INNER then LEFT): updates and deletes on any of the three
-- tables reach the result; a row missing on the LEFT side gives NULLs, one missing on the INNER side removes the key
CREATE TABLE accounts (id VARCHAR PRIMARY KEY, owner VARCHAR) WITH (KAFKA_TOPIC='accounts', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE balances (id VARCHAR PRIMARY KEY, amount INT) WITH (KAFKA_TOPIC='balances', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE limits (id VARCHAR PRIMARY KEY, cap INT) WITH (KAFKA_TOPIC='limits', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE overview WITH (KAFKA_TOPIC='overview', PARTITIONS=2) AS SELECT a.id AS id, a.owner AS owner, b.amount AS amount, l.cap AS cap FROM accounts a JOIN balances b ON a.id = b.id LEFT JOIN limits l ON a.id = l.id EMIT CHANGES;
INSERT INTO accounts (ROWTIME, id, owner) VALUES (1000, 'a1', 'ann'), (1000, 'a2', 'bob'), (1000, 'a3', 'cid');
INSERT INTO balances (ROWTIME, id, amount) VALUES (2000, 'a1', 10), (2000, 'a2', 20);
INSERT INTO limits (ROWTIME, id, cap) VALUES (3000, 'a1', 100);
SELECT id, owner, amount, cap FROM overview ORDER BY id;
--> a1|ann|10|100
--> a2|bob|20|
INSERT INTO limits (ROWTIME, id, cap) VALUES (4000, 'a2', 200);
INSERT INTO balances (ROWTIME, id, amount) VALUES (4000, 'a1', 11), (4000, 'a3', 30);
SELECT id, owner, amount, cap FROM overview ORDER BY id;
--> a1|ann|11|100
--> a2|bob|20|200
--> a3|cid|30|
DELETE FROM limits WHERE id = 'a1';
DELETE FROM balances WHERE id = 'a2';
SELECT id, owner, amount, cap FROM overview ORDER BY id;
--> a1|ann|11|
--> a3|cid|30|
-- restart
INSERT INTO accounts (ROWTIME, id, owner) VALUES (5000, 'a3', 'cyd');
INSERT INTO balances (ROWTIME, id, amount) VALUES (5000, 'a2', 21);
SELECT id, owner, amount, cap FROM overview ORDER BY id;
--> a1|ann|11|
--> a2|bob|21|200
--> a3|cyd|30|
