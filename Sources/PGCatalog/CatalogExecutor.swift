/// Runs a parsed catalog query against the system relations of one `CatalogModel`: row at a time,
/// nested-loop joins (the catalog is small), three-valued logic. One instance per statement; not shared.
final class CatalogExecutor {
    let model: CatalogModel
    let parameters: [String?]
    private var tableCache: [String: CatalogRowSet] = [:]
    /// Per system-table column: value key → row indices, for correlated `col = outer.value` lookups.
    var indexCache: [String: [String: [Int]]] = [:]
    var regexCache: [String: Regex<AnyRegexOutput>] = [:]
    /// Work budget: rows produced plus subquery runs, so no input (recursive CTEs, cross joins) runs unbounded.
    private var budget = 20_000_000
    static let maxRecursion = 1_000

    init(model: CatalogModel, parameters: [String?]) {
        self.model = model
        self.parameters = parameters
    }

    func spend(_ n: Int) throws(PGCatalogError) {
        budget -= n
        if budget < 0 { throw PGCatalogError(sqlState: "54001", message: "catalog query too large for the emulation") }
    }

    // MARK: - Queries

    func run(_ query: CatalogQuery, outer: CatalogScope?) throws(PGCatalogError) -> CatalogRowSet {
        try spend(1)
        var ctes = outer?.ctes ?? [:]
        for cte in query.ctes {
            ctes[cte.name] = try runCTE(cte, recursive: query.recursive, outer: outer, ctes: ctes)
        }
        let scope = CatalogScope(columns: [], row: [], parent: outer, ctes: ctes)
        var result: CatalogRowSet
        if case .select(let select) = query.body {
            result = try runSelect(select, orderBy: query.orderBy, outer: scope)
        } else {
            result = try runBody(query.body, outer: scope)
            if !query.orderBy.isEmpty { result = try sortOutput(result, query.orderBy, outer: scope) }
        }
        return try applyLimit(result, query, scope)
    }

    private func runCTE(
        _ cte: CatalogCTE, recursive: Bool, outer: CatalogScope?, ctes: [String: CatalogRowSet]
    ) throws(PGCatalogError) -> CatalogRowSet {
        let scope = CatalogScope(columns: [], row: [], parent: outer, ctes: ctes)
        guard recursive, case .setOperation(let seed, .union, let all, let step) = cte.query.body else {
            return rename(try run(cte.query, outer: scope), cte.columns, qualifier: cte.name)
        }
        var total = rename(try runBody(seed, outer: scope), cte.columns, qualifier: cte.name)
        var working = total
        var seen = Set(total.rows.map(CatalogValue.groupKey))
        var iterations = 0
        while !working.rows.isEmpty {
            iterations += 1
            if iterations > Self.maxRecursion {
                throw PGCatalogError(sqlState: "54001", message: "recursive query did not converge")
            }
            var inner = ctes
            inner[cte.name] = working
            let next = try runBody(step, outer: CatalogScope(columns: [], row: [], parent: outer, ctes: inner))
            var fresh: [[CatalogValue]] = []
            for row in next.rows where all || seen.insert(CatalogValue.groupKey(row)).inserted { fresh.append(row) }
            working = CatalogRowSet(columns: total.columns, rows: fresh)
            total.rows += fresh
            try spend(fresh.count)
        }
        return total
    }

    func rename(_ set: CatalogRowSet, _ names: [String], qualifier: String?) -> CatalogRowSet {
        var out = set
        for i in out.columns.indices {
            if i < names.count { out.columns[i].name = names[i] }
            out.columns[i].qualifier = qualifier
        }
        return out
    }

    func runBody(_ body: CatalogQueryBody, outer: CatalogScope) throws(PGCatalogError) -> CatalogRowSet {
        switch body {
        case .select(let s): return try runSelect(s, orderBy: [], outer: outer)
        case .nested(let q): return try run(q, outer: outer)
        case .values(let rows): return try runValues(rows, outer: outer)
        case .setOperation(let l, let op, let all, let r):
            return try setOperation(try runBody(l, outer: outer), op, all, try runBody(r, outer: outer))
        }
    }

    private func runValues(_ rows: [[CatalogExpr]], outer: CatalogScope) throws(PGCatalogError) -> CatalogRowSet {
        var out: [[CatalogValue]] = []
        for row in rows {
            var values: [CatalogValue] = []
            for e in row { values.append(try eval(e, outer)) }
            out.append(values)
        }
        let width = out.first?.count ?? 0
        let columns = (0..<width).map { i in
            CatalogColumn(
                qualifier: nil, name: "column\(i + 1)",
                type: out.lazy.compactMap { $0[i].typeOID }.first ?? PGTypeOID.text)
        }
        return CatalogRowSet(columns: columns, rows: out)
    }

    private func setOperation(
        _ l: CatalogRowSet, _ op: CatalogSetOperator, _ all: Bool, _ r: CatalogRowSet
    ) throws(PGCatalogError) -> CatalogRowSet {
        guard l.columns.count == r.columns.count else {
            throw PGCatalogError(sqlState: "42601", message: "each UNION query must have the same number of columns")
        }
        var rows: [[CatalogValue]]
        switch op {
        case .union: rows = l.rows + r.rows
        case .intersect:
            let keys = Set(r.rows.map(CatalogValue.groupKey))
            rows = l.rows.filter { keys.contains(CatalogValue.groupKey($0)) }
        case .except:
            let keys = Set(r.rows.map(CatalogValue.groupKey))
            rows = l.rows.filter { !keys.contains(CatalogValue.groupKey($0)) }
        }
        if !all { rows = Self.distinct(rows) }
        var columns = l.columns
        for i in columns.indices where columns[i].type == PGTypeOID.text || columns[i].type == PGTypeOID.unknown {
            columns[i].type = r.columns[i].type
        }
        return CatalogRowSet(columns: columns, rows: rows)
    }

    static func distinct(_ rows: [[CatalogValue]]) -> [[CatalogValue]] {
        var seen = Set<String>()
        return rows.filter { seen.insert(CatalogValue.groupKey($0)).inserted }
    }

    private func applyLimit(_ set: CatalogRowSet, _ q: CatalogQuery, _ scope: CatalogScope) throws(PGCatalogError)
        -> CatalogRowSet
    {
        var rows = set.rows[...]
        if let o = q.offset, let n = try eval(o, scope).asInt, n > 0 {
            rows = rows.dropFirst(Int(min(n, Int64(Int32.max))))
        }
        if let l = q.limit {
            let v = try eval(l, scope)
            if !v.isNull { rows = rows.prefix(Int(max(0, min(v.asInt ?? 0, Int64(Int32.max))))) }
        }
        return CatalogRowSet(columns: set.columns, rows: Array(rows))
    }

    // MARK: - FROM

    /// The FROM list; `filter` (the WHERE clause) lends its `a = b` conjuncts as hash keys between items,
    /// and is still applied in full afterwards by the caller.
    func runFrom(
        _ items: [CatalogFromItem], filter: CatalogExpr? = nil, pushdown: Pushdown? = nil, outer: CatalogScope
    ) throws(PGCatalogError) -> CatalogRowSet {
        var result = CatalogRowSet(columns: [], rows: [[]])
        for item in items {
            let next = try runFromItem(item, pushdown, outer: outer)
            let keys = equiKeys(filter, left: result.columns, right: next.columns)
            result = keys.isEmpty ? try crossJoin(result, next) : try hashJoin(result, next, keys)
        }
        return result
    }

    private func hashJoin(_ l: CatalogRowSet, _ r: CatalogRowSet, _ keys: [EquiKey]) throws(PGCatalogError)
        -> CatalogRowSet
    {
        let hash = Self.buildHash(r.rows, keys)
        var rows: [[CatalogValue]] = []
        for a in l.rows {
            guard let k = Self.hashKey(a, keys, right: false), let matches = hash[k] else { continue }
            for j in matches { rows.append(a + r.rows[j]) }
        }
        try spend(l.rows.count + r.rows.count + rows.count)
        return CatalogRowSet(columns: l.columns + r.columns, rows: rows)
    }

    private func crossJoin(_ l: CatalogRowSet, _ r: CatalogRowSet) throws(PGCatalogError) -> CatalogRowSet {
        try spend(l.rows.count * r.rows.count)
        var rows: [[CatalogValue]] = []
        rows.reserveCapacity(l.rows.count * r.rows.count)
        for a in l.rows { for b in r.rows { rows.append(a + b) } }
        return CatalogRowSet(columns: l.columns + r.columns, rows: rows)
    }

    private func runFromItem(_ item: CatalogFromItem, _ pushdown: Pushdown?, outer: CatalogScope) throws(PGCatalogError)
        -> CatalogRowSet
    {
        switch item {
        case .relation(let schema, let name, let alias, let columnAliases, let position):
            let set = rename(
                try relation(schema: schema, name: name, position: position, scope: outer), columnAliases,
                qualifier: alias ?? name)
            let isCTE = schema == nil && outer.ctes[name] != nil
            return isCTE ? set : try restrict(set, cacheKey: "\(schema ?? "pg_catalog").\(name)", pushdown, outer)
        case .subquery(let q, let alias, let columnAliases):
            return rename(try run(q, outer: outer), columnAliases, qualifier: alias)
        case .function(let call, let alias, let columnAliases):
            return try functionTable(call, alias: alias, columnAliases: columnAliases, scope: outer)
        case .join(let l, let kind, let r, let on, let using):
            return try join(
                try runFromItem(l, pushdown, outer: outer), kind, try runFromItem(r, pushdown, outer: outer), on: on,
                using: using,
                outer: outer)
        }
    }

    func relation(schema: String?, name: String, position: Int, scope: CatalogScope) throws(PGCatalogError)
        -> CatalogRowSet
    {
        if schema == nil, let cte = scope.ctes[name] { return cte }
        let candidates = schema.map { [$0] } ?? ["pg_catalog"]
        for s in candidates {
            let key = "\(s).\(name)"
            if let cached = tableCache[key] { return cached }
            if let table = CatalogSystemTables.byName[key] {
                let set = CatalogRowSet(
                    columns: table.columns.map { CatalogColumn(qualifier: nil, name: $0.0, type: $0.1) },
                    rows: table.rowSet(model))
                tableCache[key] = set
                return set
            }
        }
        let shown = schema.map { "\($0).\(name)" } ?? name
        throw PGCatalogError(sqlState: "42P01", message: "relation \"\(shown)\" does not exist", position: position)
    }

    private func functionTable(
        _ call: CatalogCall, alias: String?, columnAliases: [String], scope: CatalogScope
    ) throws(PGCatalogError) -> CatalogRowSet {
        let value = try callFunction(call, scope)
        let items: [CatalogValue]
        if case .rows(let r) = value { items = r } else { items = [value] }
        var names = [call.name]
        if case .record(let fields, _)? = items.first { names = fields }
        if call.name == "_pg_expandarray" { names = ["x", "n"] }
        let rows: [[CatalogValue]] = items.map { v in
            if case .record(_, let values) = v { return values }
            return [v]
        }
        let argumentType = call.arguments.first.flatMap { staticType($0, scope.columns, scope.ctes) }
        let elementType = argumentType.flatMap { PGBuiltinType.byOID[$0]?.element }
        let declared: [UInt32?] =
            switch call.name {
            case "_pg_expandarray": [elementType, PGTypeOID.int4]
            case "unnest": [elementType]
            case "generate_series", "generate_subscripts":
                [call.name == "generate_series" ? argumentType : PGTypeOID.int4]
            case "regexp_split_to_table": [PGTypeOID.text]
            default: []
            }
        var columns = names.enumerated().map { i, n in
            CatalogColumn(
                qualifier: alias ?? call.name, name: n,
                type: (i < declared.count ? declared[i] : nil)
                    ?? rows.lazy.compactMap { $0.indices.contains(i) ? $0[i].typeOID : nil }.first ?? PGTypeOID.text)
        }
        if names.count == 1, let alias, columnAliases.isEmpty { columns[0].name = alias }
        return rename(CatalogRowSet(columns: columns, rows: rows), columnAliases, qualifier: alias ?? call.name)
    }

    private func join(
        _ l: CatalogRowSet, _ kind: CatalogJoinKind, _ r: CatalogRowSet, on: CatalogExpr?, using: [String],
        outer: CatalogScope
    ) throws(PGCatalogError) -> CatalogRowSet {
        let columns = l.columns + r.columns
        let keys = equiKeys(on, left: l.columns, right: r.columns)
        let hash = keys.isEmpty ? nil : Self.buildHash(r.rows, keys)
        try spend(hash == nil ? l.rows.count * r.rows.count : l.rows.count + r.rows.count)
        var usingPairs: [(Int, Int)] = []
        for name in using {
            guard let li = l.columns.lastIndex(where: { $0.name == name }),
                let ri = r.columns.firstIndex(where: { $0.name == name })
            else {
                throw PGCatalogError(
                    sqlState: "42703", message: "column \"\(name)\" specified in USING clause does not exist")
            }
            usingPairs.append((li, ri))
        }
        var rows: [[CatalogValue]] = []
        var rightMatched = [Bool](repeating: false, count: r.rows.count)
        let nullRight = [CatalogValue](repeating: .null, count: r.columns.count)
        for a in l.rows {
            var matched = false
            let candidates: [Int]
            if let hash {
                candidates = Self.hashKey(a, keys, right: false).flatMap { hash[$0] } ?? []
            } else {
                candidates = Array(r.rows.indices)
            }
            for j in candidates {
                let b = r.rows[j]
                let row = a + b
                if try joinMatches(row, usingPairs, l.columns.count, on, columns, outer) {
                    rows.append(row)
                    matched = true
                    rightMatched[j] = true
                }
            }
            if !matched, kind == .left || kind == .full { rows.append(a + nullRight) }
        }
        if kind == .right || kind == .full {
            let nullLeft = [CatalogValue](repeating: .null, count: l.columns.count)
            for (j, b) in r.rows.enumerated() where !rightMatched[j] { rows.append(nullLeft + b) }
        }
        return CatalogRowSet(columns: columns, rows: rows)
    }

    private func joinMatches(
        _ row: [CatalogValue], _ using: [(Int, Int)], _ leftWidth: Int, _ on: CatalogExpr?, _ columns: [CatalogColumn],
        _ outer: CatalogScope
    ) throws(PGCatalogError) -> Bool {
        for (li, ri) in using where CatalogValue.compare(row[li], row[leftWidth + ri]) != 0 { return false }
        guard let on else { return true }
        return try eval(on, CatalogScope(columns: columns, row: row, parent: outer, ctes: outer.ctes)).truth == true
    }
}
