// MARK: - Hash joins on equality conditions, so catalog joins stay linear as Sluice's catalog grows.
// The hash only narrows the candidates; the full ON / WHERE condition is still evaluated on each of them.

extension CatalogExecutor {
    /// A pair of columns compared with `=`: index into the left row, index into the right row, and how to key them.
    struct EquiKey {
        var left: Int
        var right: Int
        var numeric: Bool
    }

    static let numericTypes: Set<UInt32> = [20, 21, 23, 26, 24, 700, 701, 1700, 2205, 2206, 4089, 4096]
    static let textTypes: Set<UInt32> = [18, 19, 25, 1042, 1043]

    /// The `left.col = right.col` conjuncts of `condition` usable as hash keys.
    func equiKeys(_ condition: CatalogExpr?, left: [CatalogColumn], right: [CatalogColumn]) -> [EquiKey] {
        guard let condition else { return [] }
        var keys: [EquiKey] = []
        for conjunct in Self.conjuncts(condition) {
            guard case .binary("=", .column(let q1, let n1, _), .column(let q2, let n2, _)) = conjunct else { continue }
            if let k = Self.key((q1, n1), (q2, n2), left, right) {
                keys.append(k)
            } else if let k = Self.key((q2, n2), (q1, n1), left, right) {
                keys.append(k)
            }
        }
        return keys
    }

    static func conjuncts(_ e: CatalogExpr) -> [CatalogExpr] {
        if case .binary("and", let a, let b) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    private static func key(
        _ a: (String?, String), _ b: (String?, String), _ left: [CatalogColumn], _ right: [CatalogColumn]
    ) -> EquiKey? {
        guard let l = uniqueIndex(a, in: left), uniqueIndex(a, in: right) == nil, !matches(a, right),
            let r = uniqueIndex(b, in: right), !matches(b, left)
        else { return nil }
        let lt = left[l].type, rt = right[r].type
        if numericTypes.contains(lt) && numericTypes.contains(rt) { return EquiKey(left: l, right: r, numeric: true) }
        if textTypes.contains(lt) && textTypes.contains(rt) { return EquiKey(left: l, right: r, numeric: false) }
        return nil
    }

    private static func matches(_ ref: (String?, String), _ columns: [CatalogColumn]) -> Bool {
        columns.contains { !$0.hidden && $0.name == ref.1 && (ref.0 == nil || $0.qualifier == ref.0) }
    }

    private static func uniqueIndex(_ ref: (String?, String), in columns: [CatalogColumn]) -> Int? {
        let hits = columns.indices.filter {
            !columns[$0].hidden && columns[$0].name == ref.1 && (ref.0 == nil || columns[$0].qualifier == ref.0)
        }
        return hits.count == 1 ? hits[0] : nil
    }

    /// The hash key of a row's key columns, or nil when one is NULL (NULL never equals anything).
    static func hashKey(_ row: [CatalogValue], _ keys: [EquiKey], right: Bool) -> String? {
        var parts: [String] = []
        for k in keys {
            let v = row[right ? k.right : k.left]
            if v.isNull { return nil }
            if k.numeric {
                guard let d = v.asDouble else { return nil }
                parts.append(CatalogValue.formatDouble(d))
            } else {
                parts.append(v.plainText)
            }
        }
        return parts.joined(separator: "\u{1}")
    }

    /// Right-row indices grouped by hash key.
    static func buildHash(_ rows: [[CatalogValue]], _ keys: [EquiKey]) -> [String: [Int]] {
        var table: [String: [Int]] = [:]
        for (i, row) in rows.enumerated() {
            if let k = hashKey(row, keys, right: true) { table[k, default: []].append(i) }
        }
        return table
    }
}
