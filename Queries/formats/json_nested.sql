-- nested JSON: arrays, maps and structs
CREATE STREAM s (id INT KEY, p STRUCT<x INT, tags ARRAY<VARCHAR>>, m MAP<VARCHAR, DOUBLE>) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM f WITH (KAFKA_TOPIC='f', PARTITIONS=1) AS SELECT id, p->x AS x, p->tags[2] AS t, m['q'] AS q FROM s EMIT CHANGES;
INSERT INTO s (id, p, m) VALUES (1, STRUCT(x := 4, tags := ARRAY['a', 'b']), MAP('q' := 0.5));
ASSERT VALUES f (id, x, t, q) VALUES (1, 4, 'b', 0.5);
