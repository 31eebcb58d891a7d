-- syntax errors get 42601
-- expect error 42601
SELEC * FROM s;
-- expect error 42601
CREATE STREAM (id INT) WITH (KAFKA_TOPIC='x');
