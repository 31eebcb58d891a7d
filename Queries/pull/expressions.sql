-- projections with expressions in pull queries
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO users (id, name, score) VALUES ('a', 'Ann', 30), ('b', 'Bo', 10), ('c', 'Cy', 20), ('d', NULL, 40);
SELECT UCASE(name) AS n, score * 2 AS s2 FROM users WHERE id = 'a';
--> ANN|60
-- a table's stored rows keep neither partition nor offset: pull queries refuse the two pseudo-columns
-- expect error 0A000
SELECT ROWOFFSET FROM users WHERE id = 'a';
-- expect error 0A000
SELECT id FROM users WHERE ROWPARTITION = 0;
