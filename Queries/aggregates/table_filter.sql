-- a table derived with WHERE: a row updated so that it no longer matches is deleted from the result
CREATE TABLE accounts (id VARCHAR PRIMARY KEY, balance INT) WITH (KAFKA_TOPIC='accounts', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE overdrawn WITH (KAFKA_TOPIC='overdrawn', PARTITIONS=1) AS SELECT id, balance FROM accounts WHERE balance < 0 EMIT CHANGES;
INSERT INTO accounts (ROWTIME, id, balance) VALUES (1000, 'a', -5), (1000, 'b', 10);
SELECT id, balance FROM overdrawn;
--> a|-5
INSERT INTO accounts (ROWTIME, id, balance) VALUES (2000, 'a', 3), (2000, 'b', -1);
SELECT id, balance FROM overdrawn;
--> b|-1
