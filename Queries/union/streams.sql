-- UNION ALL of three streams into one, each side projected to the same columns; topics of different partition
-- counts are fine (each task reads the sides that have its partition)
CREATE STREAM web (id INT KEY, page VARCHAR) WITH (KAFKA_TOPIC='web', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE STREAM app (id INT KEY, screen VARCHAR) WITH (KAFKA_TOPIC='app', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM kiosk (id INT KEY, spot VARCHAR) WITH (KAFKA_TOPIC='kiosk', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM visits WITH (KAFKA_TOPIC='visits', PARTITIONS=1) AS SELECT id, 'web' AS channel, page AS place FROM web WHERE page <> 'health' UNION ALL SELECT id, 'app' AS channel, screen AS place FROM app UNION ALL SELECT id, 'kiosk' AS channel, UCASE(spot) AS place FROM kiosk EMIT CHANGES;
INSERT INTO web (ROWTIME, id, page) VALUES (1000, 1, 'home'), (1100, 2, 'health'), (1200, 3, 'cart');
INSERT INTO app (ROWTIME, id, screen) VALUES (1500, 4, 'feed');
INSERT INTO kiosk (ROWTIME, id, spot) VALUES (1700, 5, 'lobby');
CREATE TABLE per_channel AS SELECT channel, COUNT(*) AS n FROM visits GROUP BY channel EMIT CHANGES;
SELECT channel, n FROM per_channel ORDER BY channel;
--> app|1
--> kiosk|1
--> web|2
-- expect error 0A000
CREATE STREAM mixed AS SELECT channel FROM per_channel UNION ALL SELECT channel FROM visits EMIT CHANGES;
-- expect error 42804
CREATE STREAM clash AS SELECT id FROM web UNION ALL SELECT screen AS id FROM app EMIT CHANGES;
