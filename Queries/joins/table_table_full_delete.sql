-- FULL OUTER table-table join: deleting one side re-pads the row; deleting both removes it
CREATE TABLE a (id VARCHAR PRIMARY KEY, x INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE b (id VARCHAR PRIMARY KEY, y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE f WITH (KAFKA_TOPIC='f', PARTITIONS=1) AS SELECT a.id AS id, a.x AS x, b.y AS y FROM a FULL OUTER JOIN b ON a.id = b.id EMIT CHANGES;
INSERT INTO a (ROWTIME, id, x) VALUES (1000, 'k', 1);
ASSERT VALUES f (id, x, y) VALUES ('k', 1, NULL);
INSERT INTO b (ROWTIME, id, y) VALUES (2000, 'k', 2);
ASSERT VALUES f (id, x, y) VALUES ('k', 1, 2);
DELETE FROM a WHERE id = 'k';
ASSERT VALUES f (id, x, y) VALUES ('k', NULL, 2);
DELETE FROM b WHERE id = 'k';
ASSERT NULL VALUES f (id) KEY ('k');
SELECT id FROM f;
--> (none)
