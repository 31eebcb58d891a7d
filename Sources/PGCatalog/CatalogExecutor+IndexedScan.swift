// MARK: - Index lookups on system tables for WHERE conjuncts `alias.col = <value from an enclosing query>` —
// the shape of the correlated subqueries psql, pgcli and asyncpg run once per outer row. Pushing such an
// equality below joins is safe because the caller still applies the whole WHERE clause afterwards, and `=`
// is never true for the NULL rows an outer join would have added.

extension CatalogExecutor {
    /// What a FROM item may use from the WHERE clause: the clause and the range names local to this SELECT.
    struct Pushdown {
        var filter: CatalogExpr
        var localNames: Set<String>
    }

    static func pushdown(for select: CatalogSelect) -> Pushdown? {
        guard let filter = select.whereClause else { return nil }
        var names = Set<String>()
        for item in select.from { collectNames(item, &names) }
        return Pushdown(filter: filter, localNames: names)
    }

    private static func collectNames(_ item: CatalogFromItem, _ names: inout Set<String>) {
        switch item {
        case .relation(_, let name, let alias, _, _): names.insert(alias ?? name)
        case .subquery(_, let alias, _): if let alias { names.insert(alias) }
        case .function(let call, let alias, _): names.insert(alias ?? call.name)
        case .join(let l, _, let r, _, _):
            collectNames(l, &names)
            collectNames(r, &names)
        }
    }

    /// The rows of `table` that can satisfy one `col = outer value` conjunct of the pushdown, or the table itself.
    func restrict(
        _ table: CatalogRowSet, cacheKey: String, _ pushdown: Pushdown?, _ outer: CatalogScope
    ) throws(PGCatalogError) -> CatalogRowSet {
        guard let pushdown else { return table }
        for conjunct in Self.conjuncts(pushdown.filter) {
            guard case .binary("=", let a, let b) = conjunct else { continue }
            for (col, probe) in [(a, b), (b, a)] {
                guard case .column(let q, let n, _) = col, let index = Self.soleIndex(q, n, table.columns),
                    Self.isOuter(probe, localNames: pushdown.localNames)
                else { continue }
                let numeric = Self.numericTypes.contains(table.columns[index].type)
                guard numeric || Self.textTypes.contains(table.columns[index].type) else { continue }
                let value = try eval(probe, outer)
                let key = Self.hashKey([value], [EquiKey(left: 0, right: 0, numeric: numeric)], right: false)
                let lookup = self.index("\(cacheKey)#\(index)", table.rows, index, numeric)
                let rows = key.flatMap { lookup[$0] }?.map { table.rows[$0] } ?? []
                return CatalogRowSet(columns: table.columns, rows: rows)
            }
        }
        return table
    }

    private func index(_ cacheKey: String, _ rows: [[CatalogValue]], _ column: Int, _ numeric: Bool) -> [String: [Int]]
    {
        if let cached = indexCache[cacheKey] { return cached }
        let built = Self.buildHash(rows, [EquiKey(left: column, right: column, numeric: numeric)])
        indexCache[cacheKey] = built
        return built
    }

    private static func soleIndex(_ q: String?, _ n: String, _ columns: [CatalogColumn]) -> Int? {
        let hits = columns.indices.filter { columns[$0].name == n && (q == nil || columns[$0].qualifier == q) }
        return hits.count == 1 ? hits[0] : nil
    }

    /// True when `e` is a constant, a parameter, or reads only columns qualified by an enclosing query's range
    /// names (never this SELECT's), with no subquery or aggregate — so it can be evaluated before the scan.
    private static func isOuter(_ e: CatalogExpr, localNames: Set<String>) -> Bool {
        var outer = true
        CatalogExprWalker.visit(e) { node in
            switch node {
            case .column(let q, _, _): if q == nil || localNames.contains(q ?? "") { outer = false }
            case .scalarQuery, .exists, .arrayQuery, .inQuery, .quantifiedQuery, .star: outer = false
            case .call(let c)
            where CatalogFunctionCatalog.aggregates.contains(c.name) || c.window != nil
                || CatalogFunctionCatalog.setReturning.contains(c.name):
                outer = false
            default: break
            }
        }
        return outer
    }
}
