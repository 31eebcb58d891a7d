-- pgjdbc 42.5.5 jdbc_getSchemas: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
SET extra_float_digits = 3
-- #
SET application_name = 'jdbc_getSchemas'
-- #
SELECT nspname AS TABLE_SCHEM, NULL AS TABLE_CATALOG FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY TABLE_SCHEM
