extension CatalogSystemTables {
    typealias Rows = CatalogSystemRows
}

/// Row builders for the populated system relations. Every object is owned by the session user (oid 10) and
/// lives in one database; Sluice TABLEs are relkind 'r' with a PRIMARY KEY index, STREAMs relkind 'v'.
enum CatalogSystemRows {
    typealias Row = CatalogSystemTable.Row
    typealias V = CatalogValue

    static func namespaces(_ m: CatalogModel) -> [Row] {
        [CatalogModel.pgCatalog, CatalogModel.publicSchema, CatalogModel.informationSchema].map { oid in
            [
                "oid": .oid(oid), "nspname": .name(CatalogModel.namespaceName(oid) ?? ""),
                "nspowner": .oid(CatalogModel.userOID),
            ]
        }
    }

    static func classes(_ m: CatalogModel) -> [Row] {
        m.relations.map { r in
            let hasIndex = r.indexOID != 0
            return [
                "oid": .oid(r.oid), "relname": .name(r.name), "relnamespace": .oid(r.namespace),
                "reltype": .oid(r.rowType),
                "reloftype": .oid(0), "relowner": .oid(CatalogModel.userOID),
                "relam": .oid(r.kind == "i" ? CatalogModel.btreeAM : r.kind == "r" ? CatalogModel.heapAM : 0),
                "relfilenode": .oid(r.kind == "v" ? 0 : r.oid), "reltablespace": .oid(0), "relpages": .int4(0),
                "reltuples": .float(-1, type: PGTypeOID.float4), "relallvisible": .int4(0), "reltoastrelid": .oid(0),
                "relhasindex": .bool(hasIndex), "relisshared": .bool(false), "relpersistence": .char("p"),
                "relkind": .char(r.kind), "relnatts": .int2(r.columns.count), "relchecks": .int2(0),
                "relhasrules": .bool(false), "relhastriggers": .bool(false), "relhassubclass": .bool(false),
                "relrowsecurity": .bool(false), "relforcerowsecurity": .bool(false), "relispopulated": .bool(true),
                "relreplident": .char(r.kind == "r" ? "d" : "n"), "relispartition": .bool(false), "relrewrite": .oid(0),
                "relfrozenxid": .oid(0), "relminmxid": .oid(0),
            ]
        }
    }

    static func attributes(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.namespace == CatalogModel.publicSchema }.flatMap { r in
            r.columns.enumerated().map { i, c in
                let t = m.type(c.typeOID)
                return [
                    "attrelid": .oid(r.oid), "attname": .name(c.name), "atttypid": .oid(c.typeOID),
                    "attstattarget": .int4(-1),
                    "attlen": .int2(t?.length ?? -1), "attnum": .int2(i + 1),
                    "attndims": .int4(t?.category == "A" ? 1 : 0),
                    "attcacheoff": .int4(-1), "atttypmod": .int4(-1),
                    "attbyval": .bool((t?.length ?? -1) > 0 && (t?.length ?? 0) <= 8),
                    "attalign": .char("i"), "attstorage": .char((t?.length ?? -1) == -1 ? "x" : "p"),
                    "attcompression": .char(""),
                    "attnotnull": .bool(c.notNull), "atthasdef": .bool(false), "atthasmissing": .bool(false),
                    "attidentity": .char(""), "attgenerated": .char(""), "attisdropped": .bool(false),
                    "attislocal": .bool(true),
                    "attinhcount": .int4(0), "attcollation": .oid(t?.category == "S" ? 100 : 0),
                ] as Row
            }
        }
    }

    static func types(_ m: CatalogModel) -> [Row] {
        m.types.map { t in
            let ns =
                t.category == "C" || (t.category == "A" && m.type(t.element)?.category == "C")
                ? CatalogModel.publicSchema : CatalogModel.pgCatalog
            let relid = t.type == "c" ? m.relations.first(where: { $0.rowType == t.oid })?.oid ?? 0 : 0
            return [
                "oid": .oid(t.oid), "typname": .name(t.name), "typnamespace": .oid(ns),
                "typowner": .oid(CatalogModel.userOID),
                "typlen": .int2(t.length), "typbyval": .bool(t.length > 0 && t.length <= 8), "typtype": .char(t.type),
                "typcategory": .char(t.category), "typispreferred": .bool(false), "typisdefined": .bool(true),
                "typdelim": .char(","), "typrelid": .oid(relid), "typsubscript": .regproc(0),
                "typelem": .oid(t.element),
                "typarray": .oid(t.array), "typinput": .regproc(m.proc(named: t.input)?.oid ?? 0),
                "typoutput": .regproc(m.proc(named: t.output)?.oid ?? 0), "typreceive": .regproc(0),
                "typsend": .regproc(0),
                "typmodin": .regproc(0), "typmodout": .regproc(0), "typanalyze": .regproc(0),
                "typalign": .char(t.length == 8 ? "d" : t.length == 2 ? "s" : t.length == 1 ? "c" : "i"),
                "typstorage": .char(t.length == -1 ? "x" : "p"), "typnotnull": .bool(false), "typbasetype": .oid(0),
                "typtypmod": .int4(-1), "typndims": .int4(0), "typcollation": .oid(t.category == "S" ? 100 : 0),
            ]
        }
    }

    static func databases(_ m: CatalogModel) -> [Row] {
        [
            [
                "oid": .oid(CatalogModel.databaseOID), "datname": .name(m.snapshot.database),
                "datdba": .oid(CatalogModel.userOID),
                "encoding": .int4(6), "datlocprovider": .char("c"), "datistemplate": .bool(false),
                "datallowconn": .bool(true),
                "datconnlimit": .int4(-1), "datfrozenxid": .oid(0), "datminmxid": .oid(1), "dattablespace": .oid(1663),
                "datcollate": .text("C"), "datctype": .text("C"),
            ]
        ]
    }

    static func accessMethods(_ m: CatalogModel) -> [Row] {
        [
            [
                "oid": .oid(CatalogModel.heapAM), "amname": .name("heap"), "amhandler": .regproc(0),
                "amtype": .char("t"),
            ],
            [
                "oid": .oid(CatalogModel.btreeAM), "amname": .name("btree"), "amhandler": .regproc(0),
                "amtype": .char("i"),
            ],
        ]
    }

    static func int2vector(_ values: [Int]) -> V {
        .array(values.map { .int2($0) }, type: PGTypeOID.int2vector)
    }

    static func indexes(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.indexOID != 0 }.map { r in
            let keys = r.keyAttnums
            return [
                "indexrelid": .oid(r.indexOID), "indrelid": .oid(r.oid), "indnatts": .int2(keys.count),
                "indnkeyatts": .int2(keys.count), "indisunique": .bool(true), "indnullsnotdistinct": .bool(false),
                "indisprimary": .bool(true), "indisexclusion": .bool(false), "indimmediate": .bool(true),
                "indisclustered": .bool(false), "indisvalid": .bool(true), "indcheckxmin": .bool(false),
                "indisready": .bool(true), "indislive": .bool(true), "indisreplident": .bool(false),
                "indkey": int2vector(keys),
                "indcollation": .array(keys.map { _ in .oid(0) }, type: PGTypeOID.oidvector),
                "indclass": .array(keys.map { _ in .oid(0) }, type: PGTypeOID.oidvector),
                "indoption": int2vector(keys.map { _ in 0 }),
            ]
        }
    }

    static func constraints(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.constraintOID != 0 }.map { r in
            [
                "oid": .oid(r.constraintOID), "conname": .name(r.name + "_pkey"), "connamespace": .oid(r.namespace),
                "contype": .char("p"), "condeferrable": .bool(false), "condeferred": .bool(false),
                "convalidated": .bool(true),
                "conrelid": .oid(r.oid), "contypid": .oid(0), "conindid": .oid(r.indexOID), "conparentid": .oid(0),
                "confrelid": .oid(0), "confupdtype": .char(" "), "confdeltype": .char(" "), "confmatchtype": .char(" "),
                "conislocal": .bool(true), "coninhcount": .int4(0), "connoinherit": .bool(true),
                "conkey": .array(r.keyAttnums.map { .int2($0) }, type: PGTypeOID.int2Array),
            ]
        }
    }

    static func descriptions(_ m: CatalogModel) -> [Row] {
        m.relations.compactMap { r in
            r.description.map {
                ["objoid": .oid(r.oid), "classoid": .oid(1259), "objsubid": .int4(0), "description": .text($0)]
            }
        }
    }

    static func procs(_ m: CatalogModel) -> [Row] {
        m.procs.map { p in
            [
                "oid": .oid(p.oid), "proname": .name(p.name), "pronamespace": .oid(p.namespace),
                "proowner": .oid(CatalogModel.userOID), "prolang": .oid(12),
                "procost": .float(1, type: PGTypeOID.float4),
                "prorows": .float(p.returnsSet ? 1000 : 0, type: PGTypeOID.float4), "provariadic": .oid(0),
                "prosupport": .regproc(0), "prokind": .char(p.kind), "prosecdef": .bool(false),
                "proleakproof": .bool(false),
                "proisstrict": .bool(true), "proretset": .bool(p.returnsSet), "provolatile": .char("s"),
                "proparallel": .char("s"), "pronargs": .int2(p.arguments.count), "pronargdefaults": .int2(0),
                "prorettype": .oid(p.result),
                "proargtypes": .array(p.arguments.map { .oid($0) }, type: PGTypeOID.oidvector),
                "prosrc": .text(p.name),
            ]
        }
    }

    static func roles(_ m: CatalogModel) -> [Row] {
        [
            [
                "rolname": .name(m.snapshot.user), "rolsuper": .bool(true), "rolinherit": .bool(true),
                "rolcreaterole": .bool(true),
                "rolcreatedb": .bool(true), "rolcanlogin": .bool(true), "rolreplication": .bool(false),
                "rolconnlimit": .int4(-1),
                "rolpassword": .text("********"), "rolbypassrls": .bool(true), "oid": .oid(CatalogModel.userOID),
            ]
        ]
    }

    static func users(_ m: CatalogModel) -> [Row] {
        [
            [
                "usename": .name(m.snapshot.user), "usesysid": .oid(CatalogModel.userOID), "usecreatedb": .bool(true),
                "usesuper": .bool(true), "userepl": .bool(false), "usebypassrls": .bool(true),
                "passwd": .text("********"),
            ]
        ]
    }

    static func settings(_ m: CatalogModel) -> [Row] {
        m.settings.keys.sorted().map { k in
            [
                "name": .text(k), "setting": .text(m.settings[k] ?? ""), "category": .text("Sluice"),
                "context": .text("user"),
                "vartype": .text("string"), "source": .text("default"), "boot_val": .text(m.settings[k] ?? ""),
                "reset_val": .text(m.settings[k] ?? ""), "pending_restart": .bool(false),
            ]
        }
    }

    static func tables(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.kind == "r" }.map { r in
            [
                "schemaname": .name(CatalogModel.namespaceName(r.namespace) ?? ""), "tablename": .name(r.name),
                "tableowner": .name(m.snapshot.user), "hasindexes": .bool(r.indexOID != 0), "hasrules": .bool(false),
                "hastriggers": .bool(false), "rowsecurity": .bool(false),
            ]
        }
    }

    static func views(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.kind == "v" }.map { r in
            [
                "schemaname": .name(CatalogModel.namespaceName(r.namespace) ?? ""), "viewname": .name(r.name),
                "viewowner": .name(m.snapshot.user),
                "definition": r.namespace == CatalogModel.publicSchema ? .text(viewDefinition(r)) : .null,
            ]
        }
    }

    /// What `pg_get_viewdef` shows for a STREAM: there is no defining query to show, so the backing description.
    static func viewDefinition(_ r: CatalogModel.RelationEntry) -> String {
        " -- Sluice STREAM (\(r.description ?? r.name))"
    }

    static func collations(_ m: CatalogModel) -> [Row] {
        [
            [
                "oid": .oid(100), "collname": .name("default"), "collnamespace": .oid(CatalogModel.pgCatalog),
                "collprovider": .char("d"),
                "collisdeterministic": .bool(true), "collencoding": .int4(-1),
            ],
            [
                "oid": .oid(950), "collname": .name("C"), "collnamespace": .oid(CatalogModel.pgCatalog),
                "collprovider": .char("c"),
                "collisdeterministic": .bool(true), "collencoding": .int4(-1), "collcollate": .text("C"),
                "collctype": .text("C"),
            ],
        ]
    }

    static func tablespaces(_ m: CatalogModel) -> [Row] {
        [["oid": .oid(1663), "spcname": .name("pg_default"), "spcowner": .oid(CatalogModel.userOID)]]
    }

    static func languages(_ m: CatalogModel) -> [Row] {
        [
            [
                "oid": .oid(12), "lanname": .name("internal"), "lanowner": .oid(CatalogModel.userOID),
                "lanispl": .bool(false),
            ],
            [
                "oid": .oid(14), "lanname": .name("sql"), "lanowner": .oid(CatalogModel.userOID),
                "lanispl": .bool(false),
            ],
        ]
    }
}
