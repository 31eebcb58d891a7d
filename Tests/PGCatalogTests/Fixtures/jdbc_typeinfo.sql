-- pgjdbc 42.5.5 ResultSetMetaData.getColumnTypeName/getColumnType over a regclass, a bigint[] and a name column (TypeInfoCache lookups): the statements the server logged (log_statement=all), in order; blocks separated by "-- #".
SET extra_float_digits = 3
-- #
SET application_name = 'jdbc_typeinfo'
-- #
select 't'::regclass as r, array[1::bigint] as a, 'x'::name as n
-- #
-- param: 2205
SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = $1
-- #
-- param: 2205
SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = $1  ORDER BY sp.r, pg_type.oid DESC
