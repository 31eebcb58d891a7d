-- HAVING over a table aggregation: a group that falls below the bound leaves the result (a tombstone), and comes
-- back when it rises again; aggregates that cannot take a row back out are refused over a table
CREATE TABLE items (id VARCHAR PRIMARY KEY, category VARCHAR, price INT) WITH (KAFKA_TOPIC='items', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE big WITH (KAFKA_TOPIC='big', PARTITIONS=1) AS SELECT category, COUNT(*) AS n FROM items GROUP BY category HAVING COUNT(*) >= 2 EMIT CHANGES;
INSERT INTO items (ROWTIME, id, category, price) VALUES (1000, 'a', 'books', 10), (1000, 'b', 'books', 20), (1000, 'c', 'games', 30);
SELECT category, n FROM big;
--> books|2
INSERT INTO items (ROWTIME, id, category, price) VALUES (2000, 'b', 'games', 20);
SELECT category, n FROM big;
--> games|2
-- restart
INSERT INTO items (ROWTIME, id, category, price) VALUES (3000, 'c', 'books', 30);
SELECT category, n FROM big;
--> books|2
-- expect error 0A000
CREATE TABLE cheapest AS SELECT category, MIN(price) AS low FROM items GROUP BY category EMIT CHANGES;
