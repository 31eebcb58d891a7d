-- pgjdbc 42.5.5 jdbc_getTableTypes: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
SET extra_float_digits = 3
-- #
SET application_name = 'jdbc_getTableTypes'
