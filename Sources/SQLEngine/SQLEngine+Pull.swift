import Relational
import SQLPlanner
import StateStore
import Streams

extension SQLEngine {
    /// Answers a pull query from the table's materialized state: direct gets when the WHERE clause fixes the key
    /// (`key = x`, `key IN (…)`), a scan otherwise; then filter, projection, ORDER BY, OFFSET and LIMIT.
    func pull(_ plan: LogicalPlan) throws -> ResultSet {
        var node = plan
        var limit: (Int64?, Int64?) = (nil, nil)
        var sortKeys: [LogicalPlan.SortKey] = []
        if case .limit(let count, let offset) = node.op { limit = (count, offset); node = node.inputs[0] }
        if case .sort(let keys) = node.op { sortKeys = keys; node = node.inputs[0] }
        guard case .project(let projections) = node.op else { throw EngineError.notSupported("this pull query shape is not executed yet") }
        let projected = node
        node = node.inputs[0]
        var sortBelow: [LogicalPlan.SortKey] = []
        if case .sort(let keys) = node.op { sortBelow = keys; node = node.inputs[0] }
        var predicate: ScalarExpression?
        if case .filter(let p) = node.op { predicate = p; node = node.inputs[0] }
        guard case .source(let table) = node.op else { throw EngineError.notSupported("pull queries read one table") }
        let family = try store.columnFamily(Self.tableFamily(table.name))
        let width = node.schema.count
        var batch = StreamBatch(columnCount: width)
        let windowed = table.windowType != nil
        let append: ([Value]) -> Void = { stored in
            guard stored.count == table.schema.count + (windowed ? 3 : 1) else { return }
            for i in 0..<table.schema.count { batch.columns[i].append(stored[i]) }
            batch.columns[table.schema.count].append(stored[table.schema.count])  // ROWTIME
            for i in (table.schema.count + 1)..<width {
                // WINDOWSTART and WINDOWEND follow ROWTIME, ROWPARTITION and ROWOFFSET.
                let windowColumn = i - (table.schema.count + 3)
                batch.columns[i].append(windowed && windowColumn >= 0 && windowColumn < 2 ? stored[table.schema.count + 1 + windowColumn] : .null)
            }
            batch.ops.append(.insert)
            batch.timestamps.append(stored[table.schema.count].integerValue ?? 0)
            batch.offsets.append(-1)
        }
        if let keys = Self.keyLookups(predicate, table: table) {
            for key in keys {
                let encoded = ValueCodec.encode(key)
                if windowed {
                    // Every window of the key: the stored keys that start with it.
                    var rows: [[Value]] = []
                    try store.scan(family, from: encoded, to: encoded + [UInt8](repeating: 0xFF, count: 9)) { _, value in
                        if let decoded = try? ValueCodec.decodeAll(value) { rows.append(decoded) }
                        return true
                    }
                    rows.forEach(append)
                } else if let bytes = try store.get(encoded, in: family) {
                    append(try bytes.withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) })
                }
            }
        } else {
            var rows: [[Value]] = []
            try store.scan(family, from: nil, to: nil) { _, value in
                if let decoded = try? ValueCodec.decodeAll(value) { rows.append(decoded) }
                return true
            }
            rows.forEach(append)
        }
        var context = EvaluationContext()
        if let predicate {
            let keep = try CompiledExpression.compile(predicate, columnCount: width, functions: functions).evaluate(batch.evaluationInput, context: &context)
            batch = batch.gathering(keep.indices.filter { keep[$0].boolValue == true })
        }
        if !sortBelow.isEmpty {
            // ORDER BY on columns the SELECT list does not show: sort the table rows, then project.
            let rows = (0..<batch.count).map { batch.row($0) }
            let order = try sortOrder(rows, by: sortBelow, width: width)
            batch = batch.gathering(order)
        }
        let input = batch.evaluationInput
        var columns: [[Value]] = []
        for e in projections {
            columns.append(try CompiledExpression.compile(e, columnCount: width, functions: functions).evaluate(input, context: &context))
        }
        if let (row, error) = context.errors.first {
            throw EngineError(error.sqlState, "\(error.message) (row \(row + 1))")
        }
        var rows = (0..<batch.count).map { i in columns.map { $0[i] } }
        if !sortKeys.isEmpty { rows = try sort(rows, by: sortKeys, width: projected.schema.count) }
        if let offset = limit.1 { rows = Array(rows.dropFirst(Int(offset))) }
        if let count = limit.0 { rows = Array(rows.prefix(Int(count))) }
        // Pseudo columns at the end of the projection (a windowed result's bounds) are not shown.
        let shown = projected.schema.columns.prefix { $0.role != .pseudo }
        if shown.count < projected.schema.count { rows = rows.map { Array($0.prefix(shown.count)) } }
        return ResultSet(columns: shown.map { var c = $0; c.role = .value; return c }, rows: rows)
    }

    private func sort(_ rows: [[Value]], by keys: [LogicalPlan.SortKey], width: Int) throws -> [[Value]] {
        try sortOrder(rows, by: keys, width: width).map { rows[$0] }
    }

    private func sortOrder(_ rows: [[Value]], by keys: [LogicalPlan.SortKey], width: Int) throws -> [Int] {
        let input = EvaluationInput(columns: (0..<width).map { c in rows.map { $0[c] } }, count: rows.count)
        var context = EvaluationContext()
        let values = try keys.map { key in
            try CompiledExpression.compile(key.expression, columnCount: width, functions: functions).evaluate(input, context: &context)
        }
        let order = rows.indices.sorted { a, b in
            for (k, key) in keys.enumerated() {
                let c = Value.orderingCompare(values[k][a], values[k][b], descending: key.descending, nulls: key.nullsFirst ? .nullsFirst : .nullsLast)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        return order
    }

    /// The keys to fetch when the predicate pins a single-column key: `key = literal` or `key IN (literals)` as a
    /// conjunct. nil means scan.
    static func keyLookups(_ predicate: ScalarExpression?, table: SourceDescription) -> [[Value]]? {
        let keys = table.schema.indices(role: .key)
        guard keys.count == 1, let predicate else { return nil }
        let key = keys[0]
        var conjuncts = [predicate]
        var flat: [ScalarExpression] = []
        while let e = conjuncts.popLast() {
            if case .and(let a, let b) = e.kind { conjuncts += [a, b] } else { flat.append(e) }
        }
        for e in flat {
            switch e.kind {
            case .comparison(.equal, let a, let b):
                if case .column(key) = a.kind, case .literal(let v) = b.kind { return [[v]] }
                if case .column(key) = b.kind, case .literal(let v) = a.kind { return [[v]] }
            case .inList(let x, let items, negated: false):
                guard case .column(key) = x.kind else { continue }
                var values: [[Value]] = []
                for item in items {
                    guard case .literal(let v) = item.kind else { return nil }
                    values.append([v])
                }
                return values
            default:
                continue
            }
        }
        return nil
    }
}
