-- DEFINE variables are substituted
DEFINE topic = 'vars';
CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', PARTITIONS=1);
SHOW TOPICS;
--> __sluice_commands|1
--> vars|1
