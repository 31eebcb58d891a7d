-- a source table is materialized for pull queries
CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO users (id, name) VALUES ('u1', 'Ann'), ('u2', 'Bo');
SELECT * FROM users WHERE id = 'u2';
--> u2|Bo
ASSERT TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR);
