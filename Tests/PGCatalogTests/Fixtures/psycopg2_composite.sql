-- psycopg2 2.9.13 register_composite t: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
BEGIN
-- #
SELECT t.oid, typarray, attname, atttypid
	FROM pg_type t
	JOIN pg_namespace ns ON typnamespace = ns.oid
	JOIN pg_attribute a ON attrelid = typrelid
	WHERE typname = 't' AND nspname = 'public'
	    AND attnum > 0 AND NOT attisdropped
	ORDER BY attnum;
-- #
ROLLBACK
