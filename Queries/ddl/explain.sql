-- EXPLAIN shows the logical plan and the dataflow
CREATE STREAM s (id INT KEY, k VARCHAR, v INT, d DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
EXPLAIN SELECT id FROM s WHERE v > 1 EMIT CHANGES;
--> Push query
--> Project ID := ID  → STREAM (ID INTEGER KEY)
--> └─ Filter (V > 1)  → STREAM (ID INTEGER KEY, K STRING, V INTEGER, D DOUBLE)
-->    └─ Source S topic=s key=KAFKA value=JSON  → STREAM (ID INTEGER KEY, K STRING, V INTEGER, D DOUBLE)
--> Dataflow:
--> Source-0: read s (key KAFKA, value JSON) → STREAM
--> Filter-1 <- Source-0: filter (V > 1) → STREAM
--> Project-2 <- Filter-1: project ID := ID → STREAM
