// MARK: - Function calls: aggregates over the current group, set-returning functions, scalar functions.

extension CatalogExecutor {
    func callFunction(_ call: CatalogCall, _ s: CatalogScope) throws(PGCatalogError) -> CatalogValue {
        if CatalogFunctionCatalog.aggregates.contains(call.name), call.window == nil {
            return try aggregate(call, s)
        }
        if CatalogFunctionCatalog.windows.contains(call.name) {
            throw PGCatalogError(
                sqlState: "42809", message: "window function \(call.name) requires an OVER clause",
                position: call.position)
        }
        var args: [CatalogValue] = []
        for a in call.arguments { args.append(try eval(a, s)) }
        if let v = try setReturning(call.name, args) { return v }
        if let v = try sessionFunction(call.name, args) { return v }
        if let v = try catalogFunction(call.name, args) { return v }
        if let v = try stringFunction(call.name, args) { return v }
        if let v = try arrayFunction(call.name, args) { return v }
        throw PGCatalogError(
            sqlState: "42883",
            message:
                "function \(call.name)(\(args.map { model.formatType($0.typeOID ?? PGTypeOID.unknown) }.joined(separator: ", "))) does not exist",
            position: call.position)
    }

    // MARK: Aggregates

    private func aggregate(_ call: CatalogCall, _ s: CatalogScope) throws(PGCatalogError) -> CatalogValue {
        guard let group = s.group else {
            throw PGCatalogError(
                sqlState: "42803", message: "aggregate functions are not allowed here", position: call.position)
        }
        var inputs: [([CatalogValue], CatalogScope)] = []
        for row in group {
            let rs = CatalogScope(columns: s.columns, row: row, parent: s.parent, ctes: s.ctes)
            var values: [CatalogValue] = []
            for a in call.arguments { values.append(try eval(a, rs)) }
            inputs.append((values, rs))
        }
        if !call.orderBy.isEmpty { inputs = try orderAggregateInput(inputs, call.orderBy) }
        if call.star { return .int8(inputs.count) }
        var values = inputs.map { $0.0.first ?? .null }
        if call.distinct { values = Self.distinct(values.map { [$0] }).map { $0[0] } }
        return try fold(call, values, inputs.map(\.0))
    }

    private func orderAggregateInput(
        _ inputs: [([CatalogValue], CatalogScope)], _ order: [CatalogOrderItem]
    ) throws(PGCatalogError) -> [([CatalogValue], CatalogScope)] {
        var keyed: [([CatalogValue], Int)] = []
        for (i, input) in inputs.enumerated() {
            var keys: [CatalogValue] = []
            for o in order { keys.append(try eval(o.expr, input.1)) }
            keyed.append((keys, i))
        }
        keyed.sort { a, b in
            for (k, item) in order.enumerated() {
                let c = Self.orderCompare(a.0[k], b.0[k], item)
                if c != 0 { return c < 0 }
            }
            return a.1 < b.1
        }
        return keyed.map { inputs[$0.1] }
    }

    private func fold(_ call: CatalogCall, _ values: [CatalogValue], _ rows: [[CatalogValue]]) throws(PGCatalogError)
        -> CatalogValue
    {
        let present = values.filter { !$0.isNull }
        switch call.name {
        case "count": return .int8(present.count)
        case "max": return present.max { (CatalogValue.compare($0, $1) ?? 0) < 0 } ?? .null
        case "min": return present.min { (CatalogValue.compare($0, $1) ?? 0) < 0 } ?? .null
        case "sum", "avg":
            guard !present.isEmpty else { return .null }
            if call.name == "sum", present.allSatisfy({ if case .int = $0 { return true } else { return false } }) {
                return .int(present.reduce(0) { $0 &+ ($1.asInt ?? 0) }, type: PGTypeOID.int8)
            }
            let total = present.reduce(0.0) { $0 + ($1.asDouble ?? 0) }
            return .float(call.name == "sum" ? total : total / Double(present.count), type: PGTypeOID.numeric)
        case "array_agg":
            guard !values.isEmpty else { return .null }
            let element = present.first?.typeOID ?? PGTypeOID.text
            return .array(values, type: PGBuiltinType.byOID[element]?.array ?? PGTypeOID.textArray)
        case "string_agg":
            guard !present.isEmpty else { return .null }
            let separator = rows.first.flatMap { $0.count > 1 ? render($0[1]) : nil } ?? ""
            return .text(present.compactMap { render($0) }.joined(separator: separator))
        case "bool_and", "every": return present.isEmpty ? .null : .bool(present.allSatisfy { $0.truth == true })
        case "bool_or": return present.isEmpty ? .null : .bool(present.contains { $0.truth == true })
        default:
            throw PGCatalogError(
                sqlState: "42883", message: "function \(call.name) does not exist", position: call.position)
        }
    }

    // MARK: Set-returning

    private func setReturning(_ name: String, _ args: [CatalogValue]) throws(PGCatalogError) -> CatalogValue? {
        switch name {
        case "unnest":
            guard let a = args.first else { return nil }
            return .rows(a.isNull ? [] : try asArray(a, like: .null))
        case "generate_series":
            guard args.count >= 2 else { return nil }
            guard let lo = args[0].asInt, let hi = args[1].asInt else { return .rows([]) }
            let step = args.count > 2 ? args[2].asInt ?? 1 : 1
            guard step != 0 else { throw PGCatalogError(sqlState: "22023", message: "step size cannot equal zero") }
            let span = (Double(hi) - Double(lo)) / Double(step)
            guard span < 1e9 else {
                throw PGCatalogError(sqlState: "54000", message: "generate_series result too large")
            }
            let count = span < 0 ? Int64(0) : Int64(span) + 1
            try spend(Int(count))
            let t = args[0].typeOID == PGTypeOID.int8 ? PGTypeOID.int8 : PGTypeOID.int4
            return .rows((0..<count).map { .int(lo + $0 * step, type: t) })
        case "generate_subscripts":
            guard let a = args.first else { return nil }
            let n = a.isNull ? 0 : try asArray(a, like: .null).count
            return .rows((0..<n).map { .int4($0 + 1) })
        case "_pg_expandarray":
            guard let a = args.first else { return nil }
            let values = a.isNull ? [] : try asArray(a, like: .null)
            return .rows(values.enumerated().map { i, v in .record(["x", "n"], [v, .int4(i + 1)]) })
        case "regexp_split_to_table":
            guard args.count == 2, let text = render(args[0]), let pattern = render(args[1]) else {
                return args.count == 2 ? .rows([]) : nil
            }
            return .rows(try regexSplit(text, pattern).map { CatalogValue.text($0) })
        case "pg_get_keywords":
            return .rows([])
        default: return nil
        }
    }

    private func regexSplit(_ text: String, _ pattern: String) throws(PGCatalogError) -> [String] {
        _ = try regexMatch("", pattern, caseInsensitive: false)
        guard let regex = regexCache["c:" + pattern] else { return [text] }
        return text.split(separator: regex, omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: Session

    private func sessionFunction(_ name: String, _ args: [CatalogValue]) throws(PGCatalogError) -> CatalogValue? {
        switch name {
        case "version":
            return .text(
                "PostgreSQL \(model.settings["server_version"] ?? "15.0") (Sluice) on x86_64-pc-linux-gnu, compiled by swiftc, 64-bit"
            )
        case "current_database", "current_catalog": return .name(model.snapshot.database)
        case "current_schema": return .name("public")
        case "current_schemas":
            let all = args.first?.truth ?? false
            return .array(
                (all ? ["pg_catalog", "public"] : ["public"]).map { CatalogValue.name($0) }, type: PGTypeOID.nameArray)
        case "current_user", "session_user", "user", "current_role": return .name(model.snapshot.user)
        case "current_setting":
            guard let key = args.first.flatMap({ render($0) }) else { return args.isEmpty ? nil : .null }
            if let v = model.settings[CatalogSettings.key(key)] { return .text(v) }
            if args.count > 1, args[1].truth == true { return .null }
            throw PGCatalogError(sqlState: "42704", message: "unrecognized configuration parameter \"\(key)\"")
        case "set_config":
            guard args.count == 3 else { return nil }
            return args[1].isNull ? .null : .text(render(args[1]) ?? "")
        case "pg_backend_pid": return .int4(Int(UserOIDAllocator.fnv1a(model.snapshot.user) % 32768) + 1)
        case "pg_is_in_recovery": return .bool(false)
        case "inet_server_port", "inet_client_addr", "inet_server_addr", "pg_postmaster_start_time",
            "pg_conf_load_time":
            return .null
        case "txid_current": return .int8(1)
        case "now", "statement_timestamp", "transaction_timestamp", "clock_timestamp", "current_timestamp":
            return .text("2000-01-01 00:00:00+00", type: PGTypeOID.timestamptz)
        case "has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_function_privilege",
            "has_column_privilege", "has_type_privilege", "has_any_column_privilege", "has_sequence_privilege",
            "pg_has_role":
            return .bool(true)
        default: return nil
        }
    }
}
