// MARK: - information_schema views over the same model (SQL-standard spellings: 'BASE TABLE', 'YES'/'NO').

extension CatalogSystemRows {
    static func userRelations(_ m: CatalogModel) -> [CatalogModel.RelationEntry] {
        m.relations.filter { $0.namespace == CatalogModel.publicSchema && $0.kind != "i" }
    }

    static func schemata(_ m: CatalogModel) -> [Row] {
        ["pg_catalog", "public", "information_schema"].map { s in
            [
                "catalog_name": .name(m.snapshot.database), "schema_name": .name(s),
                "schema_owner": .name(m.snapshot.user),
            ]
        }
    }

    static func infoTables(_ m: CatalogModel) -> [Row] {
        m.relations.filter { $0.kind != "i" }.map { r in
            [
                "table_catalog": .name(m.snapshot.database),
                "table_schema": .name(CatalogModel.namespaceName(r.namespace) ?? ""),
                "table_name": .name(r.name), "table_type": .text(r.kind == "r" ? "BASE TABLE" : "VIEW"),
                "is_insertable_into": .text(r.kind == "r" ? "YES" : "NO"), "is_typed": .text("NO"),
            ]
        }
    }

    static func infoColumns(_ m: CatalogModel) -> [Row] {
        userRelations(m).flatMap { r in
            r.columns.enumerated().map { i, c in
                let t = m.type(c.typeOID)
                let dataType = t?.category == "A" ? "ARRAY" : t?.sqlName ?? "USER-DEFINED"
                return [
                    "table_catalog": .name(m.snapshot.database), "table_schema": .name("public"),
                    "table_name": .name(r.name),
                    "column_name": .name(c.name), "ordinal_position": .int4(i + 1),
                    "is_nullable": .text(c.notNull ? "NO" : "YES"), "data_type": .text(dataType),
                    "udt_catalog": .name(m.snapshot.database), "udt_schema": .name("pg_catalog"),
                    "udt_name": .name(t?.name ?? ""),
                    "is_identity": .text("NO"), "is_generated": .text("NEVER"),
                    "is_updatable": .text(r.kind == "r" ? "YES" : "NO"),
                ] as Row
            }
        }
    }

    static func infoViews(_ m: CatalogModel) -> [Row] {
        userRelations(m).filter { $0.kind == "v" }.map { r in
            [
                "table_catalog": .name(m.snapshot.database), "table_schema": .name("public"),
                "table_name": .name(r.name),
                "view_definition": .text(viewDefinition(r)), "check_option": .text("NONE"), "is_updatable": .text("NO"),
                "is_insertable_into": .text("NO"),
            ]
        }
    }

    static func infoTableConstraints(_ m: CatalogModel) -> [Row] {
        userRelations(m).filter { $0.constraintOID != 0 }.map { r in
            [
                "constraint_catalog": .name(m.snapshot.database), "constraint_schema": .name("public"),
                "constraint_name": .name(r.name + "_pkey"), "table_catalog": .name(m.snapshot.database),
                "table_schema": .name("public"), "table_name": .name(r.name), "constraint_type": .text("PRIMARY KEY"),
                "is_deferrable": .text("NO"), "initially_deferred": .text("NO"), "enforced": .text("YES"),
            ]
        }
    }

    static func infoKeyColumns(_ m: CatalogModel) -> [Row] {
        userRelations(m).filter { $0.constraintOID != 0 }.flatMap { r in
            r.columns.filter(\.isKey).enumerated().map { i, c in
                [
                    "constraint_catalog": .name(m.snapshot.database), "constraint_schema": .name("public"),
                    "constraint_name": .name(r.name + "_pkey"), "table_catalog": .name(m.snapshot.database),
                    "table_schema": .name("public"), "table_name": .name(r.name), "column_name": .name(c.name),
                    "ordinal_position": .int4(i + 1),
                ] as Row
            }
        }
    }

    static func infoRoutines(_ m: CatalogModel) -> [Row] {
        m.procs.filter { $0.namespace == CatalogModel.publicSchema }.map { p in
            [
                "specific_catalog": .name(m.snapshot.database), "specific_schema": .name("public"),
                "specific_name": .name("\(p.name)_\(p.oid)"), "routine_catalog": .name(m.snapshot.database),
                "routine_schema": .name("public"), "routine_name": .name(p.name), "routine_type": .text("FUNCTION"),
                "data_type": .text(m.formatType(p.result)), "type_udt_name": .name(m.type(p.result)?.name ?? ""),
                "external_language": .text("INTERNAL"),
            ]
        }
    }

    static func infoParameters(_ m: CatalogModel) -> [Row] {
        m.procs.filter { $0.namespace == CatalogModel.publicSchema }.flatMap { p in
            p.arguments.enumerated().map { i, a in
                [
                    "specific_catalog": .name(m.snapshot.database), "specific_schema": .name("public"),
                    "specific_name": .name("\(p.name)_\(p.oid)"), "ordinal_position": .int4(i + 1),
                    "parameter_mode": .text("IN"), "data_type": .text(m.formatType(a)),
                    "udt_name": .name(m.type(a)?.name ?? ""),
                ] as Row
            }
        }
    }
}

extension CatalogModel {
    /// `format_type(oid, NULL)`: the SQL spelling of a type ("bigint", "character varying", "integer[]").
    func formatType(_ oid: UInt32) -> String {
        if oid == 0 { return "-" }
        guard let t = type(oid) else { return "???" }
        return t.sqlName
    }
}
