/// A built-in PostgreSQL type as pg_type lists it: facts from PostgreSQL's pg_type catalog (oid, name,
/// length, category, array type), enough for asyncpg / psycopg / pgjdbc to introspect by oid or by name.
struct PGBuiltinType: Sendable {
    var oid: UInt32
    var name: String
    /// What `format_type(oid, NULL)` prints (SQL-standard spelling: "bigint", "character varying").
    var sqlName: String
    var length: Int
    var category: String
    var element: UInt32
    var array: UInt32
    var input: String
    var output: String
    var type: String = "b"

    var isArray: Bool { element != 0 && length == -1 }

    /// Base types: (oid, typname, format_type name, typlen, typcategory, array oid, input proc).
    private static let bases: [(UInt32, String, String, Int, String, UInt32, String)] = [
        (16, "bool", "boolean", 1, "B", 1000, "boolin"),
        (17, "bytea", "bytea", -1, "U", 1001, "byteain"),
        (18, "char", "\"char\"", 1, "Z", 1002, "charin"),
        (19, "name", "name", 64, "S", 1003, "namein"),
        (20, "int8", "bigint", 8, "N", 1016, "int8in"),
        (21, "int2", "smallint", 2, "N", 1005, "int2in"),
        (22, "int2vector", "int2vector", -1, "A", 1006, "int2vectorin"),
        (23, "int4", "integer", 4, "N", 1007, "int4in"),
        (24, "regproc", "regproc", 4, "N", 1008, "regprocin"),
        (25, "text", "text", -1, "S", 1009, "textin"),
        (26, "oid", "oid", 4, "N", 1028, "oidin"),
        (30, "oidvector", "oidvector", -1, "A", 1013, "oidvectorin"),
        (114, "json", "json", -1, "U", 199, "json_in"),
        (194, "pg_node_tree", "pg_node_tree", -1, "Z", 0, "pg_node_tree_in"),
        (700, "float4", "real", 4, "N", 1021, "float4in"),
        (701, "float8", "double precision", 8, "N", 1022, "float8in"),
        (1033, "aclitem", "aclitem", 12, "U", 1034, "aclitemin"),
        (1042, "bpchar", "character", -1, "S", 1014, "bpcharin"),
        (1043, "varchar", "character varying", -1, "S", 1015, "varcharin"),
        (1082, "date", "date", 4, "D", 1182, "date_in"),
        (1083, "time", "time without time zone", 8, "D", 1183, "time_in"),
        (1114, "timestamp", "timestamp without time zone", 8, "D", 1115, "timestamp_in"),
        (1184, "timestamptz", "timestamp with time zone", 8, "D", 1185, "timestamptz_in"),
        (1186, "interval", "interval", 16, "T", 1187, "interval_in"),
        (1700, "numeric", "numeric", -1, "N", 1231, "numeric_in"),
        (2205, "regclass", "regclass", 4, "N", 2210, "regclassin"),
        (2206, "regtype", "regtype", 4, "N", 2211, "regtypein"),
        (2950, "uuid", "uuid", 16, "U", 2951, "uuid_in"),
        (3802, "jsonb", "jsonb", -1, "U", 3807, "jsonb_in"),
        (4089, "regnamespace", "regnamespace", 4, "N", 4090, "regnamespacein"),
        (4096, "regrole", "regrole", 4, "N", 4097, "regrolein"),
    ]

    /// Pseudo-types: typtype 'p', no array.
    private static let pseudos: [(UInt32, String, String)] = [
        (2249, "record", "record_in"), (2276, "any", "any_in"), (2277, "anyarray", "anyarray_in"),
        (2278, "void", "void_in"), (2279, "trigger", "trigger_in"), (2283, "anyelement", "anyelement_in"),
        (705, "unknown", "unknownin"), (2275, "cstring", "cstring_in"),
    ]

    /// Every built-in type: the bases, their array types (typinput array_in), and the pseudo-types.
    static let all: [PGBuiltinType] = {
        var out: [PGBuiltinType] = []
        for b in bases {
            let output = b.6.hasSuffix("_in") ? String(b.6.dropLast(3)) + "_out" : String(b.6.dropLast(2)) + "out"
            out.append(
                PGBuiltinType(
                    oid: b.0, name: b.1, sqlName: b.2, length: b.3, category: b.4, element: elementOf(b.1), array: b.5,
                    input: b.6, output: output))
            if b.5 != 0 {
                out.append(
                    PGBuiltinType(
                        oid: b.5, name: "_" + b.1, sqlName: b.2 + "[]", length: -1, category: "A", element: b.0,
                        array: 0,
                        input: "array_in", output: "array_out"))
            }
        }
        for p in pseudos {
            out.append(
                PGBuiltinType(
                    oid: p.0, name: p.1, sqlName: p.1, length: p.1 == "void" || p.1 == "trigger" ? 4 : -1,
                    category: "P",
                    element: 0, array: 0, input: p.2, output: String(p.2.dropLast(2)) + "out", type: "p"))
        }
        return out
    }()

    /// int2vector and oidvector are arrays of int2 / oid with a fixed-length element.
    private static func elementOf(_ name: String) -> UInt32 {
        switch name {
        case "int2vector": return 21
        case "oidvector": return 26
        case "name": return 18
        default: return 0
        }
    }

    static let byOID: [UInt32: PGBuiltinType] = Dictionary(all.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })

    /// Names a type can be written as in a cast or `to_regtype`, mapped to its oid (`int` → 23, `bigint` → 20).
    static let byName: [String: UInt32] = {
        var m: [String: UInt32] = [:]
        for t in all {
            m[t.name] = t.oid
            m[t.sqlName] = m[t.sqlName] ?? t.oid
        }
        let aliases: [String: UInt32] = [
            "int": 23, "integer": 23, "smallint": 21, "bigint": 20, "boolean": 16, "real": 700, "float": 701,
            "double precision": 701, "character varying": 1043, "character": 1042, "decimal": 1700,
            "timestamp without time zone": 1114, "timestamp with time zone": 1184, "time without time zone": 1083,
            "\"char\"": 18, "string": 25, "double": 701,
        ]
        for (k, v) in aliases { m[k] = v }
        return m
    }()
}
