-- asyncpg 0.32.0 set_type_codec on int8, _int8 and public.t: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
-- param: _int8
-- param: pg_catalog
SELECT
	    t.oid,
	    t.typelem     AS elemtype,
	    t.typtype     AS kind
	FROM
	    pg_catalog.pg_type AS t
	    INNER JOIN pg_catalog.pg_namespace ns ON (ns.oid = t.typnamespace)
	WHERE
	    t.typname = $1 AND ns.nspname = $2
-- #
-- param: t
-- param: public
SELECT
	    t.oid,
	    t.typelem     AS elemtype,
	    t.typtype     AS kind
	FROM
	    pg_catalog.pg_type AS t
	    INNER JOIN pg_catalog.pg_namespace ns ON (ns.oid = t.typnamespace)
	WHERE
	    t.typname = $1 AND ns.nspname = $2
