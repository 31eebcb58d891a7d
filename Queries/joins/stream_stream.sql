-- stream-stream joins WITHIN a time bound; LEFT emits unmatched rows at once (eager, as ksqlDB before 0.25)
CREATE STREAM impressions (id VARCHAR KEY, ad VARCHAR) WITH (KAFKA_TOPIC='impressions', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM clicks (id VARCHAR KEY, button VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM matched WITH (KAFKA_TOPIC='matched', PARTITIONS=1) AS SELECT i.id AS id, i.ad AS ad, c.button AS button FROM impressions i JOIN clicks c WITHIN 1 MINUTE ON i.id = c.id EMIT CHANGES;
CREATE STREAM any_click WITH (KAFKA_TOPIC='any_click', PARTITIONS=1) AS SELECT i.id AS id, i.ad AS ad, c.button AS button FROM impressions i LEFT JOIN clicks c WITHIN (0 SECONDS, 1 MINUTE) ON i.id = c.id EMIT CHANGES;
INSERT INTO impressions (ROWTIME, id, ad) VALUES (100000, 'x', 'shoes');
INSERT INTO clicks (ROWTIME, id, button) VALUES (130000, 'x', 'buy');
INSERT INTO clicks (ROWTIME, id, button) VALUES (200000, 'x', 'late');
INSERT INTO impressions (ROWTIME, id, ad) VALUES (210000, 'x', 'hats');
INSERT INTO clicks (ROWTIME, id, button) VALUES (220000, 'y', 'buy');
ASSERT VALUES matched (id, ad, button, ROWTIME) VALUES ('x', 'shoes', 'buy', 130000);
ASSERT VALUES matched (id, ad, button, ROWTIME) VALUES ('x', 'hats', 'late', 210000);
ASSERT VALUES any_click (id, ad, button) VALUES ('x', 'shoes', NULL);
ASSERT VALUES any_click (id, ad, button) VALUES ('x', 'shoes', 'buy');
ASSERT VALUES any_click (id, ad, button) VALUES ('x', 'hats', NULL);
