// MARK: - Text output and casts (reg* types resolve names against the model).

extension CatalogExecutor {
    /// PostgreSQL TEXT format of a value; nil for NULL.
    func render(_ v: CatalogValue) -> String? {
        switch v {
        case .null: return nil
        case .oid(let x, let t): return renderOID(x, type: t)
        case .array(let values, let t):
            if t == PGTypeOID.int2vector || t == PGTypeOID.oidvector {
                return values.map { render($0) ?? "" }.joined(separator: " ")
            }
            return CatalogArrayLiteral.format(values.map { render($0) })
        case .record(_, let values):
            return "("
                + values.map { e in
                    guard let s = render(e) else { return "" }
                    let quote = s.isEmpty || s.contains { "(),\" \\".contains($0) }
                    return quote ? "\"" + s.replacingAll("\"", "\"\"") + "\"" : s
                }.joined(separator: ",") + ")"
        case .rows(let r): return r.first.flatMap { render($0) }
        default: return v.plainText
        }
    }

    private func renderOID(_ x: UInt32, type t: UInt32) -> String {
        if x == 0, t != PGTypeOID.oid { return "-" }
        switch t {
        case PGTypeOID.regclass: return model.relation(x).map { Self.quoteIdent($0.name) } ?? String(x)
        case PGTypeOID.regtype: return model.type(x) != nil ? model.formatType(x) : String(x)
        case PGTypeOID.regproc: return x == 0 ? "-" : model.proc(x)?.name ?? String(x)
        case PGTypeOID.regnamespace: return CatalogModel.namespaceName(x) ?? String(x)
        case PGTypeOID.regrole: return x == CatalogModel.userOID ? model.snapshot.user : String(x)
        default: return String(x)
        }
    }

    static func quoteIdent(_ s: String) -> String {
        let plain =
            !s.isEmpty && s.first.map { $0 == "_" || ($0.isASCII && $0.isLowercase) } == true
            && s.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }
            && !CatalogParser.reserved.contains(s)
        return plain ? s : "\"" + s.replacingAll("\"", "\"\"") + "\""
    }

    // MARK: Casts

    func cast(_ v: CatalogValue, to t: CatalogTypeName) throws(PGCatalogError) -> CatalogValue {
        if v.isNull { return .null }
        if t.isArray { return try castArray(v, elementType: t.name) }
        return try castScalar(v, to: t.name)
    }

    private func castArray(_ v: CatalogValue, elementType name: String) throws(PGCatalogError) -> CatalogValue {
        let elements: [CatalogValue]
        switch v {
        case .array(let values, _): elements = values
        case .text(let s, _): elements = try CatalogArrayLiteral.parse(s).map { $0.map(CatalogValue.text) ?? .null }
        default: throw PGCatalogError(sqlState: "42846", message: "cannot cast value to \(name)[]")
        }
        var out: [CatalogValue] = []
        for e in elements { out.append(try castScalar(e, to: name)) }
        let element = PGBuiltinType.byName[name] ?? PGTypeOID.text
        return .array(out, type: PGBuiltinType.byOID[element]?.array ?? PGTypeOID.textArray)
    }

    func castScalar(_ v: CatalogValue, to name: String) throws(PGCatalogError) -> CatalogValue {
        if v.isNull { return .null }
        switch name {
        case "text", "varchar", "character varying", "bpchar", "character", "char", "\"char\"", "name", "string",
            "json", "jsonb",
            "unknown", "cstring", "pg_node_tree", "date", "time", "timestamp", "timestamptz", "interval",
            "timestamp with time zone", "timestamp without time zone", "uuid":
            let oid = PGBuiltinType.byName[name] ?? PGTypeOID.text
            return .text(render(v) ?? "", type: oid == PGTypeOID.unknown ? PGTypeOID.text : oid)
        case "int2", "smallint", "int4", "int", "integer", "int8", "bigint":
            guard let n = v.asInt else { throw .invalidText(render(v) ?? "", type: name) }
            return .int(n, type: PGBuiltinType.byName[name] ?? PGTypeOID.int4)
        case "float4", "real", "float8", "double precision", "float", "numeric", "decimal":
            guard let d = v.asDouble else { throw .invalidText(render(v) ?? "", type: name) }
            return .float(d, type: PGBuiltinType.byName[name] ?? PGTypeOID.float8)
        case "bool", "boolean":
            guard let b = v.truth else { throw .invalidText(render(v) ?? "", type: "boolean") }
            return .bool(b)
        case "oid", "regclass", "regtype", "regproc", "regprocedure", "regnamespace", "regrole":
            return try castOID(v, to: name)
        case "int2vector", "oidvector":
            return .array(try asArray(v, like: .null), type: PGBuiltinType.byName[name] ?? PGTypeOID.int2vector)
        default:
            throw PGCatalogError(sqlState: "42704", message: "type \"\(name)\" does not exist")
        }
    }

    private func castOID(_ v: CatalogValue, to name: String) throws(PGCatalogError) -> CatalogValue {
        let target = name == "regprocedure" ? PGTypeOID.regproc : (PGBuiltinType.byName[name] ?? PGTypeOID.oid)
        if case .oid(let x, _) = v { return .oid(x, type: target) }
        if let n = v.asInt, n >= 0, n <= Int64(UInt32.max) { return .oid(UInt32(n), type: target) }
        guard case .text(let s, _) = v else { throw .invalidText(v.plainText, type: name) }
        guard let resolved = try resolveName(s, as: target) else {
            throw Self.undefined(target, s)
        }
        return .oid(resolved, type: target)
    }

    static func undefined(_ target: UInt32, _ s: String) -> PGCatalogError {
        switch target {
        case PGTypeOID.regclass: return PGCatalogError(sqlState: "42P01", message: "relation \"\(s)\" does not exist")
        case PGTypeOID.regproc: return PGCatalogError(sqlState: "42883", message: "function \"\(s)\" does not exist")
        case PGTypeOID.regnamespace: return PGCatalogError(sqlState: "3F000", message: "schema \"\(s)\" does not exist")
        case PGTypeOID.regrole: return PGCatalogError(sqlState: "42704", message: "role \"\(s)\" does not exist")
        default: return PGCatalogError(sqlState: "42704", message: "type \"\(s)\" does not exist")
        }
    }

    /// Resolves `'pg_catalog.pg_class'`, `'"Orders"'`, `'integer[]'`, `'array_in'` to an oid, or nil if unknown.
    func resolveName(_ text: String, as target: UInt32) throws(PGCatalogError) -> UInt32? {
        var parts = Self.splitQualified(text)
        guard let last = parts.popLast() else { return nil }
        let schema = parts.last
        switch target {
        case PGTypeOID.regclass: return model.relation(named: last, schema: schema)?.oid
        case PGTypeOID.regproc:
            let name = last.split(separator: "(").first.map(String.init) ?? last
            return model.proc(named: name)?.oid
        case PGTypeOID.regnamespace: return CatalogModel.namespaceOID(last)
        case PGTypeOID.regrole: return last == model.snapshot.user ? CatalogModel.userOID : nil
        default: return resolveType(last)
        }
    }

    func resolveType(_ spelled: String) -> UInt32? {
        var name = spelled.trimmedSQL
        var isArray = false
        if name.hasSuffix("[]") { name = String(name.dropLast(2)).trimmedSQL; isArray = true }
        if let paren = name.firstIndex(of: "(") { name = String(name[..<paren]).trimmedSQL }
        let oid = PGBuiltinType.byName[name] ?? model.types.first { $0.name == name }?.oid
        guard let oid else { return nil }
        return isArray ? model.type(oid).map { $0.array } ?? nil : oid
    }

    /// Splits a possibly qualified, possibly quoted name; unquoted parts fold to lower case.
    static func splitQualified(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text.trimmedSQL)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true; wasQuoted = true
            } else if c == "." {
                parts.append(current); current = ""; wasQuoted = false
            } else if wasQuoted {
                current.append(c)
            } else {
                current += c.lowercased()
            }
        }
        parts.append(current)
        return parts
    }
}
