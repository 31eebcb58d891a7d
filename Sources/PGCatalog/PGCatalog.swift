/// PostgreSQL system-catalog emulation: answers the catalog queries PostgreSQL clients send (psql's `\d`
/// family, pgjdbc's DatabaseMetaData and TypeInfoCache, asyncpg / psycopg type introspection, pgcli's
/// completion queries) from a `PGCatalogSnapshot` of Sluice's relations. Pure and thread-safe: every call
/// builds its own catalog from the snapshot it is given. See README.md for what is emulated.
public enum PGCatalog {
    /// Cheap check on the raw text: does this statement read a system catalog? True when, outside string
    /// literals and comments, it names `pg_catalog` / `information_schema` or any `pg_*` identifier, casts with
    /// `::regclass`, `::regtype`, `::regproc`, `::regnamespace`, `::regrole`, `::oid`, uses `OPERATOR(…)`, or calls
    /// one of the session/catalog functions only this module implements (current_schemas, current_setting,
    /// set_config, has_*_privilege, format_type, obj_description, col_description, to_regtype, to_regclass,
    /// version(), current_database(), current_schema(), quote_ident, array_to_string, array_upper,
    /// _pg_expandarray) or reads `current_user` / `session_user` / `current_catalog`.
    /// Ordinary Sluice statements (`SELECT * FROM orders EMIT CHANGES`, `CREATE STREAM …`) answer false.
    public static func isCatalogQuery(_ sql: String) -> Bool {
        CatalogQueryDetector.isCatalogQuery(sql)
    }

    /// Runs one statement (text; `$n` parameters given as text or nil for NULL) against the snapshot.
    /// Never traps on any input: problems come back as `PGCatalogError` with a SQLSTATE.
    public static func execute(_ sql: String, parameters: [String?], snapshot: PGCatalogSnapshot) throws(PGCatalogError)
        -> PGCatalogResult
    {
        let query = try CatalogParser.parse(sql)
        let executor = CatalogExecutor(model: CatalogModel(snapshot: snapshot), parameters: parameters)
        let set = try executor.run(query, outer: nil)
        let columns = set.columns.filter { !$0.hidden }.map { (name: $0.name, typeOID: $0.type) }
        let shown = set.rows.map { $0.prefix(columns.count) }
        let rows = shown.map { row in row.map { executor.render($0) } }
        let oids = shown.map { row in
            row.map { value -> UInt32? in
                if case .oid(let x, _) = value { return x }
                return nil
            }
        }
        return PGCatalogResult(columns: columns, rows: rows, oids: oids)
    }
}
