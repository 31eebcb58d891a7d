/// The registry of emulated system relations (pg_catalog and information_schema), PostgreSQL 15 column names.
/// Rows for the populated ones are built in `CatalogSystemTables+Rows.swift`; the rest are empty on purpose.
enum CatalogSystemTables {
    typealias T = CatalogSystemTable
    static let pg = "pg_catalog"
    static let info = "information_schema"

    static let all: [CatalogSystemTable] = [
        T(
            pg, "pg_namespace", "oid oid, nspname name, nspowner oid, nspacl aclitem[]", oid: 2615,
            rows: Rows.namespaces),
        T(
            pg, "pg_class",
            "oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid, relfilenode oid, "
                + "reltablespace oid, relpages int4, reltuples float4, relallvisible int4, reltoastrelid oid, relhasindex bool, "
                + "relisshared bool, relpersistence char, relkind char, relnatts int2, relchecks int2, relhasrules bool, "
                + "relhastriggers bool, relhassubclass bool, relrowsecurity bool, relforcerowsecurity bool, relispopulated bool, "
                + "relreplident char, relispartition bool, relrewrite oid, relfrozenxid oid, relminmxid oid, relacl aclitem[], "
                + "reloptions text[], relpartbound pg_node_tree", oid: 1259, rows: Rows.classes),
        T(
            pg, "pg_attribute",
            "attrelid oid, attname name, atttypid oid, attstattarget int4, attlen int2, attnum int2, attndims int4, "
                + "attcacheoff int4, atttypmod int4, attbyval bool, attalign char, attstorage char, attcompression char, "
                + "attnotnull bool, atthasdef bool, atthasmissing bool, attidentity char, attgenerated char, attisdropped bool, "
                + "attislocal bool, attinhcount int4, attcollation oid, attacl aclitem[], attoptions text[], attfdwoptions text[], "
                + "attmissingval text", oid: 1249, rows: Rows.attributes),
        T(
            pg, "pg_type",
            "oid oid, typname name, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype char, typcategory char, "
                + "typispreferred bool, typisdefined bool, typdelim char, typrelid oid, typsubscript regproc, typelem oid, "
                + "typarray oid, typinput regproc, typoutput regproc, typreceive regproc, typsend regproc, typmodin regproc, "
                + "typmodout regproc, typanalyze regproc, typalign char, typstorage char, typnotnull bool, typbasetype oid, "
                + "typtypmod int4, typndims int4, typcollation oid, typdefaultbin pg_node_tree, typdefault text, typacl aclitem[]",
            oid: 1247, rows: Rows.types),
        T(
            pg, "pg_database",
            "oid oid, datname name, datdba oid, encoding int4, datlocprovider char, datistemplate bool, datallowconn bool, "
                + "datconnlimit int4, datfrozenxid oid, datminmxid oid, dattablespace oid, datcollate text, datctype text, "
                + "daticulocale text, datcollversion text, datacl aclitem[]", oid: 1262, rows: Rows.databases),
        T(pg, "pg_am", "oid oid, amname name, amhandler regproc, amtype char", oid: 2601, rows: Rows.accessMethods),
        T(
            pg, "pg_index",
            "indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool, indnullsnotdistinct bool, "
                + "indisprimary bool, indisexclusion bool, indimmediate bool, indisclustered bool, indisvalid bool, "
                + "indcheckxmin bool, indisready bool, indislive bool, indisreplident bool, indkey int2vector, "
                + "indcollation oidvector, indclass oidvector, indoption int2vector, indexprs pg_node_tree, indpred pg_node_tree",
            oid: 2610, rows: Rows.indexes),
        T(
            pg, "pg_constraint",
            "oid oid, conname name, connamespace oid, contype char, condeferrable bool, condeferred bool, convalidated bool, "
                + "conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, confupdtype char, confdeltype char, "
                + "confmatchtype char, conislocal bool, coninhcount int4, connoinherit bool, conkey int2[], confkey int2[], "
                + "conpfeqop oid[], conppeqop oid[], conffeqop oid[], confdelsetcols int2[], conexclop oid[], conbin pg_node_tree",
            oid: 2606, rows: Rows.constraints),
        T(
            pg, "pg_description", "objoid oid, classoid oid, objsubid int4, description text", oid: 2609,
            rows: Rows.descriptions),
        T(
            pg, "pg_proc",
            "oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost float4, prorows float4, "
                + "provariadic oid, prosupport regproc, prokind char, prosecdef bool, proleakproof bool, proisstrict bool, "
                + "proretset bool, provolatile char, proparallel char, pronargs int2, pronargdefaults int2, prorettype oid, "
                + "proargtypes oidvector, proallargtypes oid[], proargmodes char[], proargnames text[], proargdefaults pg_node_tree, "
                + "protrftypes oid[], prosrc text, probin text, prosqlbody pg_node_tree, proconfig text[], proacl aclitem[]",
            oid: 1255, rows: Rows.procs),
        T(
            pg, "pg_range",
            "rngtypid oid, rngsubtype oid, rngmultitypid oid, rngcollation oid, rngsubopc oid, rngcanonical regproc, rngsubdiff regproc"
        ),
        T(
            pg, "pg_roles",
            "rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool, rolcanlogin bool, "
                + "rolreplication bool, rolconnlimit int4, rolpassword text, rolvaliduntil timestamptz, rolbypassrls bool, "
                + "rolconfig text[], oid oid", view: true, rows: Rows.roles),
        T(
            pg, "pg_user",
            "usename name, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, usebypassrls bool, passwd text, "
                + "valuntil timestamptz, useconfig text[]", view: true, rows: Rows.users),
        T(
            pg, "pg_settings",
            "name text, setting text, unit text, category text, short_desc text, extra_desc text, context text, vartype text, "
                + "source text, min_val text, max_val text, enumvals text[], boot_val text, reset_val text, sourcefile text, "
                + "sourceline int4, pending_restart bool", view: true, rows: Rows.settings),
        T(
            pg, "pg_tables",
            "schemaname name, tablename name, tableowner name, tablespace name, hasindexes bool, hasrules bool, "
                + "hastriggers bool, rowsecurity bool", view: true, rows: Rows.tables),
        T(
            pg, "pg_views", "schemaname name, viewname name, viewowner name, definition text", view: true,
            rows: Rows.views),
        T(
            pg, "pg_matviews",
            "schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes bool, ispopulated bool, "
                + "definition text", view: true),
        T(pg, "pg_inherits", "inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool"),
        T(pg, "pg_attrdef", "oid oid, adrelid oid, adnum int2, adbin pg_node_tree"),
        T(
            pg, "pg_collation",
            "oid oid, collname name, collnamespace oid, collowner oid, collprovider char, collisdeterministic bool, "
                + "collencoding int4, collcollate text, collctype text, colliculocale text, collversion text",
            rows: Rows.collations),
        T(pg, "pg_enum", "oid oid, enumtypid oid, enumsortorder float4, enumlabel name"),
        T(
            pg, "pg_extension",
            "oid oid, extname name, extowner oid, extnamespace oid, extrelocatable bool, extversion text, extconfig oid[], "
                + "extcondition text[]"),
        T(pg, "pg_shdescription", "objoid oid, classoid oid, description text"),
        T(
            pg, "pg_tablespace", "oid oid, spcname name, spcowner oid, spcacl aclitem[], spcoptions text[]",
            rows: Rows.tablespaces),
        T(
            pg, "pg_policy",
            "oid oid, polname name, polrelid oid, polcmd char, polpermissive bool, polroles oid[], polqual pg_node_tree, "
                + "polwithcheck pg_node_tree"),
        T(
            pg, "pg_statistic_ext",
            "oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget int4, stxkeys int2vector, "
                + "stxkind char[], stxexprs pg_node_tree"),
        T(
            pg, "pg_publication",
            "oid oid, pubname name, pubowner oid, puballtables bool, pubinsert bool, pubupdate bool, pubdelete bool, "
                + "pubtruncate bool, pubviaroot bool"),
        T(pg, "pg_publication_rel", "oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector"),
        T(pg, "pg_publication_namespace", "oid oid, pnpubid oid, pnnspid oid"),
        T(
            pg, "pg_partitioned_table",
            "partrelid oid, partstrat char, partnatts int2, partdefid oid, partattrs int2vector, partclass oidvector, "
                + "partcollation oidvector, partexprs pg_node_tree"),
        T(
            pg, "pg_trigger",
            "oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype int2, tgenabled char, tgisinternal bool, "
                + "tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable bool, tginitdeferred bool, tgnargs int2, "
                + "tgattr int2vector, tgargs bytea, tgqual pg_node_tree, tgoldtable name, tgnewtable name"),
        T(
            pg, "pg_rewrite",
            "oid oid, rulename name, ev_class oid, ev_type char, ev_enabled char, is_instead bool, ev_qual pg_node_tree, "
                + "ev_action pg_node_tree"),
        T(pg, "pg_foreign_table", "ftrelid oid, ftserver oid, ftoptions text[]"),
        T(
            pg, "pg_operator",
            "oid oid, oprname name, oprnamespace oid, oprowner oid, oprkind char, oprcanmerge bool, oprcanhash bool, "
                + "oprleft oid, oprright oid, oprresult oid, oprcom oid, oprnegate oid, oprcode regproc, oprrest regproc, "
                + "oprjoin regproc"),
        T(
            pg, "pg_language",
            "oid oid, lanname name, lanowner oid, lanispl bool, lanpltrusted bool, lanplcallfoid oid, laninline oid, "
                + "lanvalidator oid, lanacl aclitem[]", rows: Rows.languages),
        T(pg, "pg_auth_members", "roleid oid, member oid, grantor oid, admin_option bool"),
        T(
            pg, "pg_event_trigger",
            "oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid, evtenabled char, evttags text[]"),
        T(
            pg, "pg_sequence",
            "seqrelid oid, seqtypid oid, seqstart int8, seqincrement int8, seqmax int8, seqmin int8, seqcache int8, seqcycle bool"
        ),
        T(
            pg, "pg_depend",
            "classid oid, objid oid, objsubid int4, refclassid oid, refobjid oid, refobjsubid int4, deptype char"),
        T(
            pg, "pg_stat_activity",
            "datid oid, datname name, pid int4, usesysid oid, usename name, application_name text, client_addr text, "
                + "state text, query text", view: true),
        // MARK: information_schema
        T(
            info, "schemata",
            "catalog_name name, schema_name name, schema_owner name, default_character_set_catalog name, "
                + "default_character_set_schema name, default_character_set_name name, sql_path text", view: true,
            rows: Rows.schemata),
        T(
            info, "tables",
            "table_catalog name, table_schema name, table_name name, table_type text, self_referencing_column_name name, "
                + "reference_generation text, user_defined_type_catalog name, user_defined_type_schema name, "
                + "user_defined_type_name name, is_insertable_into text, is_typed text, commit_action text", view: true,
            rows: Rows.infoTables),
        T(
            info, "columns",
            "table_catalog name, table_schema name, table_name name, column_name name, ordinal_position int4, "
                + "column_default text, is_nullable text, data_type text, character_maximum_length int4, "
                + "character_octet_length int4, numeric_precision int4, numeric_precision_radix int4, numeric_scale int4, "
                + "datetime_precision int4, udt_catalog name, udt_schema name, udt_name name, is_identity text, "
                + "is_generated text, is_updatable text", view: true, rows: Rows.infoColumns),
        T(
            info, "views",
            "table_catalog name, table_schema name, table_name name, view_definition text, check_option text, "
                + "is_updatable text, is_insertable_into text", view: true, rows: Rows.infoViews),
        T(
            info, "table_constraints",
            "constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name, table_schema name, "
                + "table_name name, constraint_type text, is_deferrable text, initially_deferred text, enforced text, "
                + "nulls_distinct text", view: true, rows: Rows.infoTableConstraints),
        T(
            info, "key_column_usage",
            "constraint_catalog name, constraint_schema name, constraint_name name, table_catalog name, table_schema name, "
                + "table_name name, column_name name, ordinal_position int4, position_in_unique_constraint int4",
            view: true,
            rows: Rows.infoKeyColumns),
        T(
            info, "routines",
            "specific_catalog name, specific_schema name, specific_name name, routine_catalog name, routine_schema name, "
                + "routine_name name, routine_type text, data_type text, type_udt_name name, external_language text",
            view: true, rows: Rows.infoRoutines),
        T(
            info, "parameters",
            "specific_catalog name, specific_schema name, specific_name name, ordinal_position int4, parameter_mode text, "
                + "parameter_name name, data_type text, udt_name name", view: true, rows: Rows.infoParameters),
    ]

    static let byName: [String: CatalogSystemTable] = Dictionary(
        all.map { ("\($0.schema).\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
}
