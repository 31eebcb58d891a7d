-- pgjdbc 42.5.5 jdbc_array: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
SET extra_float_digits = 3
-- #
SET application_name = 'jdbc_array'
-- #
select array[1::bigint,2] as a, 'x'::name as n
