-- psycopg 3.3.9 TypeInfo.fetch int4 / _int8 and CompositeInfo.fetch t: the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
BEGIN
-- #
-- param: int4
SELECT
	    typname AS name, oid, typarray AS array_oid,
	    oid::regtype::text AS regtype, typdelim AS delimiter
	FROM pg_type t
	WHERE t.oid = to_regtype($1)
	ORDER BY t.oid
-- #
COMMIT
-- #
BEGIN
-- #
-- param: _int8
SELECT
	    typname AS name, oid, typarray AS array_oid,
	    oid::regtype::text AS regtype, typdelim AS delimiter
	FROM pg_type t
	WHERE t.oid = to_regtype($1)
	ORDER BY t.oid
-- #
COMMIT
-- #
BEGIN
-- #
-- param: t
SELECT
	    t.typname AS name, t.oid AS oid, t.typarray AS array_oid,
	    t.oid::regtype::text AS regtype,
	    coalesce(a.fnames, '{}') AS field_names,
	    coalesce(a.ftypes, '{}') AS field_types
	FROM pg_type t
	LEFT JOIN (
	    SELECT
	        attrelid,
	        array_agg(attname) AS fnames,
	        array_agg(atttypid) AS ftypes
	    FROM (
	        SELECT a.attrelid, a.attname, a.atttypid
	        FROM pg_attribute a
	        JOIN pg_type t ON t.typrelid = a.attrelid
	        WHERE t.oid = to_regtype($1)
	        AND a.attnum > 0
	        AND NOT a.attisdropped
	        ORDER BY a.attnum
	    ) x
	    GROUP BY attrelid
	) a ON a.attrelid = t.typrelid
	WHERE t.oid = to_regtype($1)
-- #
COMMIT
