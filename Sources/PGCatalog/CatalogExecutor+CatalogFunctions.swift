// MARK: - pg_catalog information functions (docs "9.26 System Information Functions and Operators").

extension CatalogExecutor {
    func catalogFunction(_ name: String, _ args: [CatalogValue]) throws(PGCatalogError) -> CatalogValue? {
        let oid = args.first.flatMap { $0.asInt }.map { UInt32(truncatingIfNeeded: $0) }
        switch name {
        case "pg_get_userbyid":
            guard let oid else { return .null }
            return .name(oid == CatalogModel.userOID ? model.snapshot.user : "unknown (OID=\(oid))")
        case "pg_table_is_visible":
            guard let oid else { return .null }
            return .bool(
                model.relation(oid).map {
                    $0.namespace == CatalogModel.pgCatalog || $0.namespace == CatalogModel.publicSchema
                } ?? false)
        case "pg_type_is_visible", "pg_function_is_visible", "pg_opclass_is_visible", "pg_collation_is_visible":
            return oid == nil ? .null : .bool(true)
        case "format_type":
            guard let oid else { return .null }
            return .text(model.formatType(oid))
        case "pg_get_expr", "pg_get_ruledef", "pg_get_statisticsobjdef_columns", "pg_get_serial_sequence",
            "pg_get_partkeydef",
            "pg_get_triggerdef", "col_description", "shobj_description":
            return .null
        case "pg_get_indexdef": return indexDefinition(oid, column: args.count > 1 ? args[1].asInt ?? 0 : 0)
        case "pg_get_constraintdef":
            guard let oid, let r = model.relations.first(where: { $0.constraintOID == oid }) else { return .null }
            return .text("PRIMARY KEY (\(keyNames(r)))")
        case "pg_get_viewdef":
            guard let oid, let r = model.relation(oid), r.kind == "v" else { return .null }
            return .text(CatalogSystemRows.viewDefinition(r))
        case "obj_description":
            guard let oid else { return .null }
            let catalog = args.count > 1 ? render(args[1]) : "pg_class"
            guard catalog == "pg_class", let r = model.relation(oid) else { return .null }
            return .textOrNull(r.description)
        case "pg_encoding_to_char": return .name(args.first?.asInt == 6 ? "UTF8" : "SQL_ASCII")
        case "pg_char_to_encoding": return .int4(6)
        case "pg_get_function_result":
            guard let oid, let p = model.proc(oid) else { return .null }
            return .text((p.returnsSet ? "SETOF " : "") + model.formatType(p.result))
        case "pg_get_function_arguments", "pg_get_function_identity_arguments":
            guard let oid, let p = model.proc(oid) else { return .null }
            return .text(p.arguments.map { model.formatType($0) }.joined(separator: ", "))
        case "pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size", "pg_database_size":
            return oid == nil ? .null : .int8(0)
        case "pg_size_pretty":
            guard let n = args.first?.asInt else { return .null }
            return .text("\(n) bytes")
        case "to_regtype", "to_regclass", "to_regproc", "to_regnamespace", "to_regrole":
            guard let text = args.first.flatMap({ render($0) }) else { return .null }
            let target = PGBuiltinType.byName[String(name.dropFirst(3))] ?? PGTypeOID.regtype
            return try resolveName(text, as: target).map { .oid($0, type: target) } ?? .null
        case "pg_relation_is_publishable": return .bool(false)
        case "pg_tablespace_location": return .text("")
        case "age": return .int4(0)
        case "pg_get_keywords": return .rows([])
        default: return nil
        }
    }

    private func keyNames(_ r: CatalogModel.RelationEntry) -> String {
        r.columns.filter(\.isKey).map { Self.quoteIdent($0.name) }.joined(separator: ", ")
    }

    private func indexDefinition(_ oid: UInt32?, column: Int64) -> CatalogValue {
        guard let oid, let index = model.relation(oid), index.kind == "i",
            let table = model.relation(index.indexedRelation)
        else {
            return .null
        }
        if column > 0 {
            let keys = table.columns.filter(\.isKey)
            return column <= Int64(keys.count) ? .text(Self.quoteIdent(keys[Int(column) - 1].name)) : .null
        }
        return .text(
            "CREATE UNIQUE INDEX \(Self.quoteIdent(index.name)) ON public.\(Self.quoteIdent(table.name)) USING btree (\(keyNames(table)))"
        )
    }

    // MARK: Strings

    func stringFunction(_ name: String, _ args: [CatalogValue]) throws(PGCatalogError) -> CatalogValue? {
        switch name {
        case "coalesce": return args.first { !$0.isNull } ?? .null
        case "nullif":
            guard args.count == 2 else { return nil }
            return CatalogValue.compare(args[0], args[1]) == 0 ? .null : args[0]
        case "greatest", "least":
            let present = args.filter { !$0.isNull }
            let pick =
                name == "greatest"
                ? present.max { (CatalogValue.compare($0, $1) ?? 0) < 0 }
                : present.min { (CatalogValue.compare($0, $1) ?? 0) < 0 }
            return pick ?? .null
        case "concat": return .text(args.compactMap { render($0) }.joined())
        case "concat_ws":
            guard let sep = args.first.flatMap({ render($0) }) else { return .null }
            return .text(args.dropFirst().compactMap { render($0) }.joined(separator: sep))
        default: break
        }
        guard args.allSatisfy({ !$0.isNull }) else {
            return [
                "lower", "upper", "length", "char_length", "substring", "substr", "position", "strpos", "replace",
                "btrim", "ltrim",
                "rtrim", "quote_ident", "quote_literal", "left", "right", "split_part", "starts_with", "regexp_replace",
                "md5",
                "repeat", "reverse",
            ].contains(name) ? .null : nil
        }
        let texts = args.map { render($0) ?? "" }
        return try textFunction(name, texts, args)
    }

    private func textFunction(_ name: String, _ t: [String], _ args: [CatalogValue]) throws(PGCatalogError)
        -> CatalogValue?
    {
        switch (name, t.count) {
        case ("lower", 1): return .text(t[0].lowercased())
        case ("upper", 1): return .text(t[0].uppercased())
        case ("length", 1), ("char_length", 1): return .int4(t[0].count)
        case ("substring", 2...3), ("substr", 2...3):
            if args[1].asInt == nil { return try regexSubstring(t[0], t[1]) }
            return .text(Self.substring(t[0], from: args[1].asInt ?? 1, count: t.count > 2 ? args[2].asInt : nil))
        case ("position", 2): return .int4(Self.position(of: t[0], in: t[1]))
        case ("strpos", 2): return .int4(Self.position(of: t[1], in: t[0]))
        case ("replace", 3): return .text(t[0].replacingAll(t[1], t[2]))
        case ("btrim", 1...2), ("ltrim", 1...2), ("rtrim", 1...2):
            return .text(
                Self.trim(t[0], Set(t.count > 1 ? t[1] : " "), leading: name != "rtrim", trailing: name != "ltrim"))
        case ("quote_ident", 1): return .text(Self.quoteIdent(t[0]))
        case ("quote_literal", 1): return .text("'" + t[0].replacingAll("'", "''") + "'")
        case ("left", 2): return .text(String(t[0].prefix(max(0, Int(args[1].asInt ?? 0)))))
        case ("right", 2): return .text(String(t[0].suffix(max(0, Int(args[1].asInt ?? 0)))))
        case ("split_part", 3):
            let parts =
                t[1].isEmpty ? [t[0]] : t[0].split(separator: t[1], omittingEmptySubsequences: false).map(String.init)
            let n = Int(args[2].asInt ?? 1)
            return .text(n >= 1 && n <= parts.count ? parts[n - 1] : "")
        case ("starts_with", 2): return .bool(t[0].hasPrefix(t[1]))
        case ("regexp_replace", 3...4):
            _ = try regexMatch("", t[1], caseInsensitive: false)
            guard let regex = regexCache["c:" + t[1]] else { return .text(t[0]) }
            let global = t.count > 3 && t[3].contains("g")
            return .text(
                global ? t[0].replacing(regex, with: t[2]) : t[0].replacing(regex, with: t[2], maxReplacements: 1))
        case ("reverse", 1): return .text(String(t[0].reversed()))
        case ("repeat", 2): return .text(String(repeating: t[0], count: max(0, min(Int(args[1].asInt ?? 0), 10_000))))
        default: return nil
        }
    }

    private func regexSubstring(_ text: String, _ pattern: String) throws(PGCatalogError) -> CatalogValue {
        _ = try regexMatch("", pattern, caseInsensitive: false)
        guard let regex = regexCache["c:" + pattern], let m = text.firstMatch(of: regex) else { return .null }
        if m.output.count > 1, let group = m.output[1].substring { return .text(String(group)) }
        return .text(String(text[m.range]))
    }

    static func substring(_ s: String, from rawStart: Int64, count rawCount: Int64?) -> String {
        let start = min(max(rawStart, -Int64(Int32.max)), Int64(Int32.max))
        let count = rawCount.map { min(max($0, -1), Int64(Int32.max)) }
        let chars = Array(s)
        let begin = max(start, 1) - 1
        var end = Int64(chars.count)
        if let count { end = min(end, max(start - 1 + max(count, 0), 0)) }
        guard begin < end, begin < Int64(chars.count) else { return "" }
        return String(chars[Int(begin)..<Int(end)])
    }

    static func position(of needle: String, in haystack: String) -> Int {
        guard !needle.isEmpty else { return 1 }
        guard let r = haystack.firstRange(of: needle) else { return 0 }
        return haystack.distance(from: haystack.startIndex, to: r.lowerBound) + 1
    }

    static func trim(_ s: String, _ chars: Set<Character>, leading: Bool, trailing: Bool) -> String {
        var sub = Substring(s)
        while leading, let f = sub.first, chars.contains(f) { sub.removeFirst() }
        while trailing, let l = sub.last, chars.contains(l) { sub.removeLast() }
        return String(sub)
    }

    // MARK: Arrays

    func arrayFunction(_ name: String, _ args: [CatalogValue]) throws(PGCatalogError) -> CatalogValue? {
        switch name {
        case "array_upper", "array_length", "cardinality", "array_lower", "array_ndims":
            guard let a = args.first else { return nil }
            if a.isNull { return .null }
            let values = try asArray(a, like: .null)
            if name != "cardinality", args.count > 1, args[1].asInt != 1 { return .null }
            if values.isEmpty { return name == "cardinality" ? .int4(0) : .null }
            switch name {
            case "array_lower", "array_ndims": return .int4(1)
            default: return .int4(values.count)
            }
        case "array_to_string":
            guard args.count >= 2, !args[0].isNull, let sep = render(args[1]) else {
                return args.count >= 2 ? .null : nil
            }
            let nullText = args.count > 2 ? render(args[2]) : nil
            let parts = try asArray(args[0], like: .null).compactMap { v in render(v) ?? nullText }
            return .text(parts.joined(separator: sep))
        case "array_position":
            guard args.count == 2, !args[0].isNull else { return args.count == 2 ? .null : nil }
            let values = try asArray(args[0], like: args[1])
            return values.firstIndex { CatalogValue.compare($0, args[1]) == 0 }.map { .int4($0 + 1) } ?? .null
        case "array_cat":
            guard args.count == 2 else { return nil }
            return try apply("||", args[0], args[1])
        case "array_append":
            guard args.count == 2 else { return nil }
            guard case .array(let values, let t) = args[0] else { return .array([args[1]], type: PGTypeOID.textArray) }
            return .array(values + [args[1]], type: t)
        default: return nil
        }
    }
}
