-- DEFINE variables are substituted
DEFINE topic = 'vars';
CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', PARTITIONS=1);
SHOW TOPICS;
--> vars|1
