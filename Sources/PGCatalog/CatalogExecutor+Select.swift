// MARK: - SELECT: filter, window functions, grouping, projection, DISTINCT, ORDER BY.

extension CatalogExecutor {
    /// One output row and the scope its ORDER BY expressions are evaluated in.
    private struct Produced {
        var values: [CatalogValue]
        var scope: CatalogScope
    }

    func runSelect(_ select: CatalogSelect, orderBy: [CatalogOrderItem], outer: CatalogScope) throws(PGCatalogError)
        -> CatalogRowSet
    {
        var source = try runFrom(
            select.from, filter: select.whereClause, pushdown: Self.pushdown(for: select), outer: outer)
        if let w = select.whereClause {
            var kept: [[CatalogValue]] = []
            for row in source.rows where try eval(w, scope(source.columns, row, outer)).truth == true {
                kept.append(row)
            }
            source.rows = kept
        }
        var items = try expandStars(select.items, source.columns)
        var order = orderBy
        try computeWindows(&items, &order, &source, outer: outer)
        let grouped =
            !select.groupBy.isEmpty || select.having != nil
            || items.contains { Self.containsAggregate($0.expr) } || order.contains { Self.containsAggregate($0.expr) }
        let scopes = grouped ? try groups(select, source, outer) : source.rows.map { scope(source.columns, $0, outer) }
        var produced: [Produced] = []
        for s in scopes {
            for values in try project(items, s) { produced.append(Produced(values: values, scope: s)) }
        }
        try spend(produced.count)
        let columns = try outputColumns(items, source.columns, produced.map(\.values), outer.ctes)
        if select.distinct {
            var seen = Set<String>()
            produced = produced.filter { seen.insert(CatalogValue.groupKey($0.values)).inserted }
        }
        if !order.isEmpty {
            produced = try sort(produced.map { ($0.values, $0.scope) }, order, columns).map {
                Produced(values: $0.0, scope: $0.1)
            }
        }
        return CatalogRowSet(columns: columns, rows: produced.map(\.values))
    }

    func scope(_ columns: [CatalogColumn], _ row: [CatalogValue], _ outer: CatalogScope) -> CatalogScope {
        CatalogScope(columns: columns, row: row, parent: outer, ctes: outer.ctes)
    }

    private func expandStars(_ items: [CatalogSelectItem], _ columns: [CatalogColumn]) throws(PGCatalogError)
        -> [CatalogSelectItem]
    {
        var out: [CatalogSelectItem] = []
        for item in items {
            guard case .star(let q) = item.expr else { out.append(item); continue }
            let matching = columns.enumerated().filter { !$0.element.hidden && (q == nil || $0.element.qualifier == q) }
            if let q, matching.isEmpty {
                throw PGCatalogError(sqlState: "42P01", message: "missing FROM-clause entry for table \"\(q)\"")
            }
            for (_, c) in matching {
                out.append(
                    CatalogSelectItem(expr: .column(qualifier: c.qualifier, name: c.name, position: 0), alias: c.name))
            }
        }
        return out
    }

    // MARK: Grouping

    private func groups(_ select: CatalogSelect, _ source: CatalogRowSet, _ outer: CatalogScope) throws(PGCatalogError)
        -> [CatalogScope]
    {
        var order: [String] = []
        var buckets: [String: [[CatalogValue]]] = [:]
        for row in source.rows {
            let s = scope(source.columns, row, outer)
            var key: [CatalogValue] = []
            for g in select.groupBy { key.append(try groupValue(g, s, select)) }
            let k = CatalogValue.groupKey(key)
            if buckets[k] == nil { order.append(k) }
            buckets[k, default: []].append(row)
        }
        if select.groupBy.isEmpty && order.isEmpty { order = [""]; buckets[""] = [] }
        var out: [CatalogScope] = []
        for k in order {
            let rows = buckets[k] ?? []
            let first = rows.first ?? [CatalogValue](repeating: .null, count: source.columns.count)
            let s = CatalogScope(columns: source.columns, row: first, group: rows, parent: outer, ctes: outer.ctes)
            if let h = select.having, try eval(h, s).truth != true { continue }
            out.append(s)
        }
        return out
    }

    /// GROUP BY items may be ordinals or output aliases.
    private func groupValue(_ e: CatalogExpr, _ s: CatalogScope, _ select: CatalogSelect) throws(PGCatalogError)
        -> CatalogValue
    {
        if case .literal(.int(let n, _)) = e, n >= 1, Int(n) <= select.items.count {
            return try eval(select.items[Int(n) - 1].expr, s)
        }
        if case .column(nil, let name, _) = e, s.index(of: name, qualifier: nil) == nil,
            let item = select.items.first(where: { $0.alias == name })
        {
            return try eval(item.expr, s)
        }
        return try eval(e, s)
    }

    static func containsAggregate(_ e: CatalogExpr) -> Bool {
        var found = false
        CatalogExprWalker.visit(e) { node in
            if case .call(let c) = node, c.window == nil, CatalogFunctionCatalog.aggregates.contains(c.name) {
                found = true
            }
        }
        return found
    }

    // MARK: Projection

    private func project(_ items: [CatalogSelectItem], _ s: CatalogScope) throws(PGCatalogError) -> [[CatalogValue]] {
        var values: [CatalogValue] = []
        var width = 0
        for item in items {
            let v = try eval(item.expr, s)
            if case .rows(let r) = v { width = max(width, r.count) }
            values.append(v)
        }
        guard values.contains(where: { if case .rows = $0 { return true } else { return false } }) else {
            return [values]
        }
        return (0..<width).map { i in
            values.map { v in
                guard case .rows(let r) = v else { return v }
                return i < r.count ? r[i] : .null
            }
        }
    }

    private func outputColumns(
        _ items: [CatalogSelectItem], _ input: [CatalogColumn], _ rows: [[CatalogValue]],
        _ ctes: [String: CatalogRowSet]
    ) throws(PGCatalogError) -> [CatalogColumn] {
        items.enumerated().map { i, item in
            let name = item.alias ?? Self.outputName(item.expr)
            let declared = staticType(item.expr, input, ctes)
            let observed = rows.lazy.compactMap { $0[i].typeOID }.first
            return CatalogColumn(qualifier: nil, name: name, type: declared ?? observed ?? PGTypeOID.text)
        }
    }

    /// The name an expression gives its column when that name is "strong" (a column, field or function).
    static func strongName(_ e: CatalogExpr) -> String? {
        switch e {
        case .column(_, let name, _), .field(_, let name): return name
        case .call(let c): return c.name
        case .cast(let inner, _): return strongName(inner)
        default: return nil
        }
    }

    static func outputName(_ e: CatalogExpr) -> String {
        switch e {
        case .column(_, let name, _): return name
        case .field(_, let name): return name
        case .cast(let inner, let t):
            let n = outputName(inner)
            return n == "?column?" ? t.name : n
        case .call(let c): return c.name
        case .caseWhen(_, _, let otherwise):
            // PostgreSQL names a CASE after its ELSE branch when that is a column or function result.
            return otherwise.flatMap(strongName) ?? "case"
        case .arrayQuery, .array: return "array"
        case .exists: return "exists"
        case .row: return "row"
        case .scalarQuery(let q):
            if case .select(let s) = q.body, let first = s.items.first { return first.alias ?? outputName(first.expr) }
            return "?column?"
        default: return "?column?"
        }
    }

    func castTypeOID(_ t: CatalogTypeName) -> UInt32? {
        guard let base = PGBuiltinType.byName[t.name] else { return nil }
        return t.isArray ? PGBuiltinType.byOID[base]?.array : base
    }

    // MARK: Windows

    /// Replaces each `f(…) OVER (…)` with a hidden column holding its value per source row.
    private func computeWindows(
        _ items: inout [CatalogSelectItem], _ order: inout [CatalogOrderItem], _ source: inout CatalogRowSet,
        outer: CatalogScope
    ) throws(PGCatalogError) {
        var calls: [CatalogCall] = []
        let rewrite: (CatalogExpr) -> CatalogExpr? = { e in
            guard case .call(let c) = e, c.window != nil else { return nil }
            calls.append(c)
            return .column(qualifier: "#w", name: "\(calls.count - 1)", position: c.position)
        }
        for i in items.indices { items[i].expr = CatalogExprWalker.rewrite(items[i].expr, rewrite) }
        for i in order.indices { order[i].expr = CatalogExprWalker.rewrite(order[i].expr, rewrite) }
        for (n, call) in calls.enumerated() {
            let values = try windowValues(call, source, outer)
            source.columns.append(CatalogColumn(qualifier: "#w", name: "\(n)", type: PGTypeOID.int8, hidden: true))
            for r in source.rows.indices { source.rows[r].append(values[r]) }
        }
    }

    private func windowValues(_ call: CatalogCall, _ source: CatalogRowSet, _ outer: CatalogScope)
        throws(PGCatalogError) -> [CatalogValue]
    {
        guard let window = call.window else { return [] }
        var partitions: [String: [Int]] = [:]
        var keysInOrder: [String] = []
        for (i, row) in source.rows.enumerated() {
            var key: [CatalogValue] = []
            for p in window.partitionBy { key.append(try eval(p, scope(source.columns, row, outer))) }
            let k = CatalogValue.groupKey(key)
            if partitions[k] == nil { keysInOrder.append(k) }
            partitions[k, default: []].append(i)
        }
        var out = [CatalogValue](repeating: .null, count: source.rows.count)
        for k in keysInOrder {
            let members = partitions[k] ?? []
            let sorted = try sort(
                members.map { ([CatalogValue.int8($0)], scope(source.columns, source.rows[$0], outer)) },
                window.orderBy, [])
            let group = members.map { source.rows[$0] }
            for (rank, entry) in sorted.enumerated() {
                guard let index = entry.0.first?.asInt else { continue }
                out[Int(index)] = try windowValue(call, rank: rank, group: group, scope: entry.1)
            }
        }
        return out
    }

    private func windowValue(_ call: CatalogCall, rank: Int, group: [[CatalogValue]], scope s: CatalogScope)
        throws(PGCatalogError) -> CatalogValue
    {
        switch call.name {
        case "row_number", "rank", "dense_rank": return .int8(rank + 1)
        default:
            var plain = call
            plain.window = nil
            let g = CatalogScope(columns: s.columns, row: s.row, group: group, parent: s.parent, ctes: s.ctes)
            return try callFunction(plain, g)
        }
    }

    // MARK: ORDER BY

    private func sort(
        _ rows: [([CatalogValue], CatalogScope)], _ order: [CatalogOrderItem], _ output: [CatalogColumn]
    ) throws(PGCatalogError) -> [([CatalogValue], CatalogScope)] {
        var keyed: [([CatalogValue], Int)] = []
        for (i, r) in rows.enumerated() {
            var keys: [CatalogValue] = []
            for item in order { keys.append(try sortKey(item.expr, r.0, r.1, output)) }
            keyed.append((keys, i))
        }
        keyed.sort { a, b in
            for (k, item) in order.enumerated() {
                let c = Self.orderCompare(a.0[k], b.0[k], item)
                if c != 0 { return c < 0 }
            }
            return a.1 < b.1
        }
        return keyed.map { rows[$0.1] }
    }

    private func sortKey(_ e: CatalogExpr, _ values: [CatalogValue], _ s: CatalogScope, _ output: [CatalogColumn])
        throws(PGCatalogError) -> CatalogValue
    {
        if case .literal(.int(let n, _)) = e, !output.isEmpty {
            guard n >= 1, Int(n) <= values.count else {
                throw PGCatalogError(sqlState: "42P10", message: "ORDER BY position \(n) is not in select list")
            }
            return values[Int(n) - 1]
        }
        if case .column(nil, let name, _) = e, let i = output.firstIndex(where: { $0.name == name }) {
            return values[i]
        }
        return try eval(e, s)
    }

    static func orderCompare(_ a: CatalogValue, _ b: CatalogValue, _ item: CatalogOrderItem) -> Int {
        let nullsFirst = item.nullsFirst ?? item.descending
        switch (a.isNull, b.isNull) {
        case (true, true): return 0
        case (true, false): return nullsFirst ? -1 : 1
        case (false, true): return nullsFirst ? 1 : -1
        default:
            let c = CatalogValue.compare(a, b) ?? 0
            return item.descending ? -c : c
        }
    }

    /// ORDER BY over a set operation's output: ordinals and output names only.
    func sortOutput(_ set: CatalogRowSet, _ order: [CatalogOrderItem], outer: CatalogScope) throws(PGCatalogError)
        -> CatalogRowSet
    {
        let rows = set.rows.map { ($0, scope(set.columns, $0, outer)) }
        return CatalogRowSet(columns: set.columns, rows: try sort(rows, order, set.columns).map(\.0))
    }
}
