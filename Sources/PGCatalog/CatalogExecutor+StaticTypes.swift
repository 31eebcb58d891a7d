// MARK: - Result column types known without looking at the rows, so a statement describes the same
// RowDescription whatever its parameters (a Describe before Bind sees the types Execute will use).

extension CatalogExecutor {
    static let comparisonOperators: Set<String> = [
        "=", "<>", "<", ">", "<=", ">=", "~", "!~", "~*", "!~*", "and", "or", "like", "ilike", "similar", "@>", "<@",
        "&&",
    ]

    /// The declared type of `e` over the input columns, or nil when only the values can tell.
    func staticType(_ e: CatalogExpr, _ input: [CatalogColumn], _ ctes: [String: CatalogRowSet]) -> UInt32? {
        switch e {
        case .column(let q, let name, _):
            let type = input.first { !$0.hidden && $0.name == name && (q == nil || $0.qualifier == q) }?.type
            return type == 0 ? nil : type ?? (q == "#w" ? PGTypeOID.int8 : nil)
        case .literal(let v): return v.typeOID
        case .cast(_, let t): return castTypeOID(t)
        case .isNull, .isBool, .inList, .inQuery, .exists, .quantified, .quantifiedQuery, .between, .isDistinct:
            return PGTypeOID.bool
        case .binary(let op, let a, let b):
            if Self.comparisonOperators.contains(op) { return PGTypeOID.bool }
            if op == "||" {
                let l = staticType(a, input, ctes), r = staticType(b, input, ctes)
                return [l, r].compactMap { $0 }.first { PGBuiltinType.byOID[$0]?.category == "A" } ?? PGTypeOID.text
            }
            return nil
        case .unary("not", _): return PGTypeOID.bool
        case .unary(_, let a): return staticType(a, input, ctes)
        case .caseWhen(_, let whens, let otherwise):
            return (whens.map(\.1) + (otherwise.map { [$0] } ?? [])).lazy.compactMap {
                self.staticType($0, input, ctes)
            }.first
        case .call(let c): return callType(c, input, ctes)
        case .field(.call(let c), let name) where c.name == "_pg_expandarray":
            if name == "n" { return PGTypeOID.int4 }
            return c.arguments.first.flatMap { staticType($0, input, ctes) }.flatMap {
                PGBuiltinType.byOID[$0]?.element
            }
        case .scalarQuery(let q): return queryType(q, ctes)
        case .arrayQuery(let q): return queryType(q, ctes).flatMap { PGBuiltinType.byOID[$0]?.array }
        case .array(let list):
            let element = list.lazy.compactMap { self.staticType($0, input, ctes) }.first
            return element.flatMap { PGBuiltinType.byOID[$0]?.array }
        default: return nil
        }
    }

    private func callType(_ c: CatalogCall, _ input: [CatalogColumn], _ ctes: [String: CatalogRowSet]) -> UInt32? {
        let first = c.arguments.first.flatMap { staticType($0, input, ctes) }
        switch c.name {
        case "count", "row_number", "rank", "dense_rank": return PGTypeOID.int8
        case "max", "min", "nullif": return first
        case "coalesce", "greatest", "least":
            return c.arguments.lazy.compactMap { self.staticType($0, input, ctes) }.first
        case "array_agg": return first.flatMap { PGBuiltinType.byOID[$0]?.array }
        case "string_agg": return PGTypeOID.text
        case "unnest": return first.flatMap { PGBuiltinType.byOID[$0]?.element }
        case "generate_series": return first
        default:
            guard !CatalogFunctionCatalog.aggregates.contains(c.name),
                !CatalogFunctionCatalog.setReturning.contains(c.name)
            else { return nil }
            return CatalogFunctionCatalog.builtins.first { $0.name == c.name && $0.result < 2276 }?.result
        }
    }

    /// The type of a subquery's first column, from the columns of its FROM relations and CTEs.
    private func queryType(_ q: CatalogQuery, _ ctes: [String: CatalogRowSet]) -> UInt32? {
        guard let type = queryColumns(q, ctes).first?.type, type != 0 else { return nil }
        return type
    }

    /// Static output columns of a query (type 0 where unknown); CTEs are typed from their first branch.
    private func queryColumns(_ q: CatalogQuery, _ ctes: [String: CatalogRowSet]) -> [CatalogColumn] {
        var visible = ctes
        for cte in q.ctes {
            visible[cte.name] = rename(
                CatalogRowSet(columns: bodyColumns(cte.query.body, visible), rows: []), cte.columns, qualifier: cte.name
            )
        }
        return bodyColumns(q.body, visible)
    }

    private func bodyColumns(_ body: CatalogQueryBody, _ ctes: [String: CatalogRowSet]) -> [CatalogColumn] {
        switch body {
        case .select(let s):
            let layout = s.from.flatMap { staticLayout($0, ctes) }
            return s.items.map { item in
                CatalogColumn(
                    qualifier: nil, name: item.alias ?? Self.outputName(item.expr),
                    type: staticType(item.expr, layout, ctes) ?? 0)
            }
        case .setOperation(let l, _, _, _): return bodyColumns(l, ctes)
        case .nested(let q): return queryColumns(q, ctes)
        case .values: return []
        }
    }

    private func staticLayout(_ item: CatalogFromItem, _ ctes: [String: CatalogRowSet]) -> [CatalogColumn] {
        switch item {
        case .relation(let schema, let name, let alias, _, _):
            if schema == nil, let cte = ctes[name] { return rename(cte, [], qualifier: alias ?? name).columns }
            guard let table = CatalogSystemTables.byName["\(schema ?? "pg_catalog").\(name)"] else { return [] }
            return table.columns.map { CatalogColumn(qualifier: alias ?? name, name: $0.0, type: $0.1) }
        case .join(let l, _, let r, _, _): return staticLayout(l, ctes) + staticLayout(r, ctes)
        default: return []
        }
    }
}
