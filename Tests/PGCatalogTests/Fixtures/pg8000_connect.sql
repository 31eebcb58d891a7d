-- pg8000 1.31.6 connecting and fetching a bigint array: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
select array[1::bigint] as a
