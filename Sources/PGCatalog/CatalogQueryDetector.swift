/// Token-level detection of catalog statements, so string literals (`WHERE page = 'pg_class'`) never match.
enum CatalogQueryDetector {
    static let catalogFunctions: Set<String> = [
        "current_schemas", "current_setting", "set_config", "format_type", "obj_description", "col_description",
        "shobj_description", "to_regtype", "to_regclass", "to_regproc", "to_regnamespace", "version",
        "current_database",
        "current_schema", "quote_ident", "array_to_string", "array_upper", "array_lower", "_pg_expandarray",
        "has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_function_privilege",
        "has_column_privilege", "has_type_privilege", "has_any_column_privilege", "has_sequence_privilege",
    ]
    static let niladic: Set<String> = ["current_user", "session_user", "current_catalog", "current_role"]
    static let regCasts: Set<String> = [
        "regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole", "oid",
    ]

    static func isCatalogQuery(_ sql: String) -> Bool {
        var lexer = CatalogLexer(sql)
        var previous: CatalogToken?
        var count = 0
        while let token = try? lexer.next(), token.kind != .end, count < 1_000_000 {
            count += 1
            defer { previous = token }
            guard case .identifier(let word, let quoted) = token.kind else { continue }
            let lower = word.lowercased()
            if lower == "pg_catalog" || lower == "information_schema" || lower.hasPrefix("pg_") { return true }
            if quoted { continue }
            if previous?.symbol == "::", regCasts.contains(lower) { return true }
            if niladic.contains(lower) { return true }
            if lower == "operator" || catalogFunctions.contains(lower)
                || lower.hasPrefix("has_") && lower.hasSuffix("_privilege")
            {
                var look = lexer
                if (try? look.next())?.symbol == "(" { return true }
            }
        }
        return false
    }
}
