/// The pg_catalog functions the emulation implements, as pg_proc lists them: (name, argument oids, result oid,
/// prokind, proretset). The evaluator's implementations live in `CatalogExecutor+Functions.swift`.
enum CatalogFunctionCatalog {
    struct Entry {
        var name: String
        var arguments: [UInt32]
        var result: UInt32
        var kind: String = "f"
        var returnsSet = false
    }

    static let aggregates: Set<String> = [
        "count", "max", "min", "sum", "avg", "array_agg", "string_agg", "bool_and", "bool_or", "every",
    ]
    static let windows: Set<String> = ["row_number", "rank", "dense_rank"]
    static let setReturning: Set<String> = [
        "unnest", "generate_series", "generate_subscripts", "regexp_split_to_table", "_pg_expandarray",
        "pg_get_keywords",
    ]

    static let builtins: [Entry] = {
        let text: UInt32 = 25, oid: UInt32 = 26, int4: UInt32 = 23, bool: UInt32 = 16, name: UInt32 = 19,
            int8: UInt32 = 20
        var out: [Entry] = [
            Entry(name: "version", arguments: [], result: text),
            Entry(name: "current_database", arguments: [], result: name),
            Entry(name: "current_schema", arguments: [], result: name),
            Entry(name: "current_schemas", arguments: [bool], result: 1003),
            Entry(name: "current_user", arguments: [], result: name),
            Entry(name: "session_user", arguments: [], result: name),
            Entry(name: "current_setting", arguments: [text], result: text),
            Entry(name: "set_config", arguments: [text, text, bool], result: text),
            Entry(name: "pg_get_userbyid", arguments: [oid], result: name),
            Entry(name: "pg_table_is_visible", arguments: [oid], result: bool),
            Entry(name: "pg_type_is_visible", arguments: [oid], result: bool),
            Entry(name: "pg_function_is_visible", arguments: [oid], result: bool),
            Entry(name: "format_type", arguments: [oid, int4], result: text),
            Entry(name: "pg_get_expr", arguments: [194, oid], result: text),
            Entry(name: "pg_get_indexdef", arguments: [oid], result: text),
            Entry(name: "pg_get_constraintdef", arguments: [oid], result: text),
            Entry(name: "pg_get_viewdef", arguments: [oid], result: text),
            Entry(name: "pg_get_ruledef", arguments: [oid], result: text),
            Entry(name: "obj_description", arguments: [oid, name], result: text),
            Entry(name: "col_description", arguments: [oid, int4], result: text),
            Entry(name: "shobj_description", arguments: [oid, name], result: text),
            Entry(name: "pg_encoding_to_char", arguments: [int4], result: name),
            Entry(name: "has_table_privilege", arguments: [text, text], result: bool),
            Entry(name: "has_schema_privilege", arguments: [text, text], result: bool),
            Entry(name: "has_database_privilege", arguments: [text, text], result: bool),
            Entry(name: "pg_backend_pid", arguments: [], result: int4),
            Entry(name: "quote_ident", arguments: [text], result: text),
            Entry(name: "array_upper", arguments: [2277, int4], result: int4),
            Entry(name: "array_lower", arguments: [2277, int4], result: int4),
            Entry(name: "array_length", arguments: [2277, int4], result: int4),
            Entry(name: "array_to_string", arguments: [2277, text], result: text),
            Entry(name: "pg_get_function_result", arguments: [oid], result: text),
            Entry(name: "pg_get_function_arguments", arguments: [oid], result: text),
            Entry(name: "pg_get_function_identity_arguments", arguments: [oid], result: text),
            Entry(name: "pg_relation_size", arguments: [2205], result: int8),
            Entry(name: "pg_total_relation_size", arguments: [2205], result: int8),
            Entry(name: "pg_table_size", arguments: [2205], result: int8),
            Entry(name: "pg_size_pretty", arguments: [int8], result: text),
            Entry(name: "lower", arguments: [text], result: text),
            Entry(name: "upper", arguments: [text], result: text),
            Entry(name: "length", arguments: [text], result: int4),
            Entry(name: "substring", arguments: [text, int4, int4], result: text),
            Entry(name: "position", arguments: [text, text], result: int4),
            Entry(name: "replace", arguments: [text, text, text], result: text),
            Entry(name: "concat", arguments: [2276], result: text),
            Entry(name: "to_regtype", arguments: [text], result: 2206),
            Entry(name: "to_regclass", arguments: [text], result: 2205),
            Entry(name: "pg_relation_is_publishable", arguments: [2205], result: bool),
            Entry(name: "pg_get_statisticsobjdef_columns", arguments: [oid], result: text),
        ]
        for a in aggregates { out.append(Entry(name: a, arguments: [2283], result: 2283, kind: "a")) }
        for w in windows { out.append(Entry(name: w, arguments: [], result: int8, kind: "w")) }
        for s in setReturning.sorted() { out.append(Entry(name: s, arguments: [2277], result: 2283, returnsSet: true)) }
        return out
    }()
}
