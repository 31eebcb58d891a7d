-- unknown queries
-- expect error 42704
TERMINATE CSAS_NOPE_1;
-- expect error 42704
EXPLAIN CSAS_NOPE_1;
