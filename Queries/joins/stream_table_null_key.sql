-- a stream row whose join key is NULL matches nothing: INNER drops it, LEFT keeps it with NULLs
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM clicks (uid VARCHAR KEY, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM inner_j WITH (KAFKA_TOPIC='inner_j', PARTITIONS=1) AS SELECT c.uid, c.page, u.name FROM clicks c JOIN users u ON c.uid = u.id EMIT CHANGES;
CREATE STREAM left_j WITH (KAFKA_TOPIC='left_j', PARTITIONS=1) AS SELECT c.uid, c.page, u.name FROM clicks c LEFT JOIN users u ON c.uid = u.id EMIT CHANGES;
INSERT INTO users (ROWTIME, id, name) VALUES (1000, 'u1', 'Ann');
INSERT INTO clicks (ROWTIME, uid, page) VALUES (2000, NULL, '/anonymous');
INSERT INTO clicks (ROWTIME, uid, page) VALUES (3000, 'u1', '/home');
ASSERT VALUES inner_j (uid, page, name) VALUES ('u1', '/home', 'Ann');
ASSERT VALUES left_j (uid, page, name) VALUES (NULL, '/anonymous', NULL);
ASSERT VALUES left_j (uid, page, name) VALUES ('u1', '/home', 'Ann');
