import Relational
import SQLPlanner
import SQLSyntax
import StateStore
import Streams

extension SQLEngine {
    /// Answers a pull query from the table's materialized state: direct gets when the WHERE clause fixes the key
    /// (`key = x`, `key IN (…)`), a scan otherwise; then filter, aggregation (GROUP BY, HAVING, or aggregates over
    /// the whole table), projection, ORDER BY, OFFSET and LIMIT.
    func pull(_ plan: LogicalPlan, parameters: [Value] = [], compiled: CompiledPull? = nil) throws -> ResultSet {
        let shape = try compiled?.shape ?? PullShape(plan)
        let table = shape.table
        let predicate = shape.predicate
        let family = try store.columnFamily(Self.tableFamily(table.name))
        let width = shape.tableWidth
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
        if let keys = Self.keyLookups(predicate, table: table, parameters: parameters) {
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
                } else if let bytes = try store.cachedGet(encoded, in: family) {
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
        var context = EvaluationContext(parameters: parameters)
        if let predicate {
            let keep = try (compiled?.predicate ?? CompiledExpression.compile(predicate, columnCount: width, functions: functions))
                .evaluate(batch.evaluationInput, context: &context)
            batch = batch.gathering(keep.indices.filter { keep[$0].boolValue == true })
        }
        let projectedWidth = shape.projectedWidth
        if let aggregation = shape.aggregation {
            batch = try BatchAggregation.aggregate(batch, groupBy: aggregation.groupBy, aggregates: aggregation.aggregates, width: width,
                                                   functions: functions, context: &context)
            if let having = aggregation.having {
                let keep = try CompiledExpression.compile(having, columnCount: projectedWidth, functions: functions)
                    .evaluate(batch.evaluationInput, context: &context)
                batch = batch.gathering(keep.indices.filter { keep[$0].boolValue == true })
            }
        }
        if !shape.sortBelow.isEmpty {
            // ORDER BY on columns the SELECT list does not show: sort the table (or group) rows, then project.
            let rows = (0..<batch.count).map { batch.row($0) }
            let order = try sortOrder(rows, by: shape.sortBelow, width: projectedWidth)
            batch = batch.gathering(order)
        }
        let input = batch.evaluationInput
        var columns: [[Value]] = []
        for (i, e) in shape.projections.enumerated() {
            let expression = try compiled?.projections[i] ?? CompiledExpression.compile(e, columnCount: projectedWidth, functions: functions)
            columns.append(expression.evaluate(input, context: &context))
        }
        if let (row, error) = context.errors.first {
            throw EngineError(error.sqlState, "\(error.message) (row \(row + 1))")
        }
        var rows = (0..<batch.count).map { i in columns.map { $0[i] } }
        let projected = shape.projected
        let shown = projected.schema.columns.prefix { $0.role != .pseudo }
        if shape.distinct {
            var seen: Set<[UInt8]> = []
            rows = rows.filter { seen.insert(ValueCodec.encode(Array($0.prefix(shown.count)))).inserted }
        }
        if !shape.sortKeys.isEmpty { rows = try sort(rows, by: shape.sortKeys, width: projected.schema.count) }
        if let offset = shape.offset { rows = Array(rows.dropFirst(Int(offset))) }
        if let count = shape.limit { rows = Array(rows.prefix(Int(count))) }
        // Pseudo columns at the end of the projection (a windowed result's bounds) are not shown.
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
    static func keyLookups(_ predicate: ScalarExpression?, table: SourceDescription, parameters: [Value] = []) -> [[Value]]? {
        let keys = table.schema.indices(role: .key)
        guard keys.count == 1, let predicate else { return nil }
        let key = keys[0]
        var conjuncts = [predicate]
        var flat: [ScalarExpression] = []
        while let e = conjuncts.popLast() {
            if case .and(let a, let b) = e.kind { conjuncts += [a, b] } else { flat.append(e) }
        }
        /// A literal, or a `$n` parameter's value as the key column's type.
        func constant(_ e: ScalarExpression) -> Value? {
            switch e.kind {
            case .literal(let v): return v
            case .parameter(let n):
                guard n >= 1, n <= parameters.count else { return nil }
                return keyValue(parameters[n - 1], as: table.schema[key].type)
            default: return nil
            }
        }
        for e in flat {
            switch e.kind {
            case .comparison(.equal, let a, let b):
                if case .column(key) = a.kind, let v = constant(b) { return [[v]] }
                if case .column(key) = b.kind, let v = constant(a) { return [[v]] }
            case .inList(let x, let items, negated: false):
                guard case .column(key) = x.kind else { continue }
                var values: [[Value]] = []
                for item in items {
                    guard let v = constant(item) else { return nil }
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

/// A pull query parsed and planned once, run many times with `$n` parameters (the engine API behind prepared
/// statements: parse and plan are most of a key lookup's cost).
/// A class: a prepared query is shared by every execution of a statement, and a struct of this many references
/// would be retained field by field each time it is passed or captured.
public final class PreparedPull: Sendable {
    let plan: LogicalPlan
    let compiled: CompiledPull
    /// The type each `$n` takes from its use; values are cast to it before the query runs.
    public let parameterTypes: [Int: DataType]
    /// Set when the query is `SELECT <columns> FROM table WHERE key = <$n or literal>`: one get, no batch.
    let lookup: KeyLookup?
    /// When this is `SELECT <columns> FROM table WHERE key = <$n or literal>` (which `SQLEngine.lookupRow`
    /// answers), how many result columns it has.
    public var primaryKeyLookupWidth: Int? { lookup?.columns.count }

    init(plan: LogicalPlan, compiled: CompiledPull, parameterTypes: [Int: DataType], lookup: KeyLookup?) {
        self.plan = plan
        self.compiled = compiled
        self.parameterTypes = parameterTypes
        self.lookup = lookup
    }
}

/// The shape of the most common pull query, answered by one state-store get and a copy of some stored columns.
/// A class: every execution reads it from its `PreparedPull`, and a struct would be copied out (its arrays and
/// strings retained one by one) each time.
final class KeyLookup: Sendable {
    enum Operand: Sendable {
        case parameter(Int)
        case literal(Value)
    }
    let family: String
    let key: Operand
    let keyType: DataType
    /// How many values a stored row holds (the table's columns and ROWTIME).
    let storedWidth: Int
    /// The stored value of each result column (nil: a pseudo column a plain table does not store, NULL).
    let columns: [Int?]
    let resultColumns: [Column]
    /// The answer when no row matches.
    var noRows: ResultSet { ResultSet(columns: resultColumns, rows: []) }

    /// The lookup `plan` is, if it is one.
    init?(_ plan: LogicalPlan) {
        guard case .project(let projections) = plan.op, case .filter(let predicate) = plan.inputs[0].op,
            case .source(let table) = plan.inputs[0].inputs[0].op, table.windowType == nil
        else { return nil }
        let keys = table.schema.indices(role: .key)
        guard keys.count == 1, case .comparison(.equal, let a, let b) = predicate.kind else { return nil }
        func operand(_ e: ScalarExpression) -> Operand? {
            switch e.kind {
            case .parameter(let n): .parameter(n)
            case .literal(let v): .literal(v)
            default: nil
            }
        }
        if case .column(keys[0]) = a.kind, let k = operand(b) {
            key = k
        } else if case .column(keys[0]) = b.kind, let k = operand(a) {
            key = k
        } else {
            return nil
        }
        // Source rows are the table's columns, ROWTIME, then pseudo columns a plain table does not store.
        storedWidth = table.schema.count + 1
        var columns: [Int?] = []
        for e in projections {
            guard case .column(let c) = e.kind else { return nil }
            columns.append(c < storedWidth ? c : nil)
        }
        let shown = plan.schema.columns.prefix { $0.role != .pseudo }
        self.columns = Array(columns.prefix(shown.count))
        resultColumns = shown.map { var c = $0; c.role = .value; return c }
        family = SQLEngine.tableFamily(table.name)
        keyType = table.schema[keys[0]].type
    }
}

/// The row a key lookup found, read column by column as the query's result columns (see `SQLEngine.lookupRow`).
public struct LookupRow {
    let stored: [Value]
    let lookup: KeyLookup

    /// How many result columns the row has.
    public var count: Int { lookup.columns.count }
    /// The value of result column `i` (NULL for a pseudo column the table does not store).
    public subscript(_ i: Int) -> Value { lookup.columns[i].map { stored[$0] } ?? .null }
    /// The type of result column `i`.
    public func type(_ i: Int) -> DataType { lookup.resultColumns[i].type }
}

extension SQLEngine {
    /// The type a parameter value carries by itself (nil for the ones that need a declared type).
    static func naturalType(of value: Value) -> DataType? {
        switch value {
        case .int: .int
        case .bigint: .bigint
        case .double: .double
        case .string: .string
        case .boolean: .boolean
        default: nil
        }
    }

    /// A parameter compared with a key column, as that column's type when it converts (else as given, and the key
    /// then matches nothing).
    static func keyValue(_ value: Value, as type: DataType) -> Value {
        guard let given = naturalType(of: value), given != type else { return value }
        return (try? Value.cast(value, from: given, to: type)) ?? value
    }

    /// Parses and plans a pull query whose `$n` parameters take their types from what they are compared with.
    public func preparePull(_ sql: String) throws(EngineError) -> PreparedPull {
        let statement: Statement
        do {
            let statements = try Parser.parse(sql)
            guard statements.count == 1 else { throw EngineError("42601", "prepare one statement, not \(statements.count)") }
            statement = statements[0]
        } catch let error as SyntaxError {
            throw EngineError.syntax(error, in: sql)
        } catch {
            throw EngineError.from(error)
        }
        do {
            let planned = try lock.withLock { try Planner(catalog: catalog).plan(statement) }
            guard case .pullQuery(let plan) = planned else { throw EngineError("42809", "not a pull query: \(sql)") }
            var types: [Int: DataType] = [:]
            func collect(_ node: LogicalPlan) {
                switch node.op {
                case .filter(let e): e.collectParameterTypes(into: &types)
                case .project(let exprs): exprs.forEach { $0.collectParameterTypes(into: &types) }
                case .sort(let keys): keys.forEach { $0.expression.collectParameterTypes(into: &types) }
                default: break
                }
                node.inputs.forEach(collect)
            }
            collect(plan)
            return PreparedPull(plan: plan, compiled: try compile(plan), parameterTypes: types, lookup: KeyLookup(plan))
        } catch let error as PlanError {
            throw EngineError.plan(error, in: sql)
        } catch {
            throw EngineError.from(error)
        }
    }

    /// A key lookup's stored row (the table's columns and ROWTIME), if the key has one (`key = NULL` has none).
    private func storedRow(_ lookup: KeyLookup, parameters: [Value]) throws -> [Value]? {
        let key: Value
        switch lookup.key {
        case .literal(let v): key = v
        case .parameter(let n):
            guard n >= 1, n <= parameters.count else { throw EngineError("08P01", "no value for parameter $\(n)") }
            key = Self.keyValue(parameters[n - 1], as: lookup.keyType)
        }
        guard key != .null else { return nil }
        let family = try store.columnFamily(lookup.family)
        // The key alone, encoded on the stack when it is a number: no array per lookup.
        guard let bytes = try ValueCodec.withEncoded(key, { try store.cachedGet($0, in: family) }) else { return nil }
        let stored = try bytes.withUnsafeBytes { (raw) throws(EvaluationError) in
            try ValueCodec.decodeAll(raw, expectedCount: lookup.storedWidth)
        }
        return stored.count == lookup.storedWidth ? stored : nil
    }

    private func lookup(_ lookup: KeyLookup, parameters: [Value]) throws -> ResultSet {
        guard let stored = try storedRow(lookup, parameters: parameters) else { return lookup.noRows }
        let row = LookupRow(stored: stored, lookup: lookup)
        return ResultSet(columns: lookup.resultColumns, rows: [(0..<row.count).map { row[$0] }])
    }

    /// Runs a prepared key lookup (`prepared.primaryKeyLookupWidth` is set) without building a result set: the row,
    /// if the key matched one, read column by column (a server encodes it straight for its wire); nil when none
    /// matched. Other prepared queries run with `execute`: this refuses them (XX000, a caller's mistake).
    public func lookupRow(_ prepared: PreparedPull, parameters: [Value]) throws(EngineError) -> LookupRow? {
        guard let lookup = prepared.lookup else {
            throw EngineError("XX000", "lookupRow answers prepared key lookups only; run this query with execute")
        }
        guard let typed = try typedParameters(prepared, parameters) else { return nil }
        do {
            return try storedRow(lookup, parameters: typed).map { LookupRow(stored: $0, lookup: lookup) }
        } catch {
            throw EngineError.from(error)
        }
    }

    /// Whether running `prepared` with `parameters` reads at most a few keys of its table (`key = $1`, a short IN
    /// list) rather than scanning it: work of microseconds, which a server may do without handing it to a thread.
    public func isKeyLookup(_ prepared: PreparedPull, parameters: [Value]) -> Bool {
        if prepared.lookup != nil { return true }  // known when prepared: no plan walk per execution
        let shape = prepared.compiled.shape
        guard shape.aggregation == nil, shape.table.windowType == nil,
            let keys = Self.keyLookups(shape.predicate, table: shape.table, parameters: parameters)
        else { return false }
        return keys.count <= 16
    }

    /// Runs a prepared pull query with `parameters` as $1, $2, ….
    public func execute(_ prepared: PreparedPull, parameters: [Value]) throws(EngineError) -> ResultSet {
        guard let typed = try typedParameters(prepared, parameters) else {
            return prepared.lookup?.noRows ?? ResultSet(columns: [], rows: [])  // nil is for key lookups only
        }
        do {
            if let lookup = prepared.lookup { return try self.lookup(lookup, parameters: typed) }
            return try pull(prepared.plan, parameters: typed, compiled: prepared.compiled)
        } catch {
            throw EngineError.from(error)
        }
    }

    /// `parameters` cast to the types their uses gave them; nil when a key lookup's key cannot match any row.
    private func typedParameters(_ prepared: PreparedPull, _ parameters: [Value]) throws(EngineError) -> [Value]? {
        var typed = parameters
        for (i, value) in parameters.enumerated() {
            guard let type = prepared.parameterTypes[i + 1], let given = Self.naturalType(of: value), given != type else { continue }
            // A fraction must not be rounded into a whole-number parameter: `id = $1` with 2.5 would find id 2 (or
            // 3) where PostgreSQL, comparing numerically, finds nothing.
            var failure: EngineError?
            if case .double(let d) = value, type == .int || type == .bigint, d.rounded(.towardZero) != d {
                failure = EngineError("22P02", "parameter $\(i + 1): \(d) is not a whole number, and it is compared with \(type)")
            } else {
                do {
                    typed[i] = try Value.cast(value, from: given, to: type)
                    continue
                } catch {
                    failure = EngineError(error.sqlState, "parameter $\(i + 1): \(error.message)")
                }
            }
            // A number no key of the key's type can equal (a fraction, or beyond the type's range, as JDBC's setLong
            // or psycopg's big ints send for an INT key) finds no row in a key lookup, as PostgreSQL's numeric
            // comparison finds none. Elsewhere, and for text out of range, the value is refused, not answered wrongly.
            if let lookup = prepared.lookup, case .parameter(i + 1) = lookup.key, given.isNumeric,
                failure?.sqlState == "22P02" || failure?.sqlState == "22003"
            {
                return nil
            }
            if let failure { throw failure }
        }
        return typed
    }
}

/// The one plan shape pull queries run, read once from the plan:
/// `[limit] ← [sort] ← project ← [sort below] ← [[filter HAVING] ← aggregate] ← [filter WHERE] ← source`.
struct PullShape: Sendable {
    struct Aggregation: Sendable {
        var groupBy: [ScalarExpression]
        var aggregates: [AggregateCall]
        var having: ScalarExpression?
        /// Columns of a group's row: the GROUP BY values, then the aggregates.
        var width: Int
    }

    var limit: Int64?
    var offset: Int64?
    var sortKeys: [LogicalPlan.SortKey] = []
    /// SELECT DISTINCT: projected rows that repeat an earlier one (in the shown columns) are dropped.
    var distinct = false
    /// The project node: its expressions, and its schema names the result.
    let projected: LogicalPlan
    let projections: [ScalarExpression]
    /// ORDER BY on columns the SELECT list does not show, applied before the projection.
    var sortBelow: [LogicalPlan.SortKey] = []
    var aggregation: Aggregation?
    var predicate: ScalarExpression?
    let table: SourceDescription
    /// Columns of a table row: the table's, then the pseudo columns.
    let tableWidth: Int
    /// Columns the projection reads: a group's row under an aggregation, else a table row.
    var projectedWidth: Int { aggregation?.width ?? tableWidth }

    init(_ plan: LogicalPlan) throws {
        var node = plan
        if case .limit(let count, let offset) = node.op { (limit, self.offset) = (count, offset); node = node.inputs[0] }
        if case .sort(let keys) = node.op { sortKeys = keys; node = node.inputs[0] }
        // SELECT DISTINCT: a grouping by every output column, without aggregates, right above the projection.
        if case .aggregate(_, let aggregates, _) = node.op, aggregates.isEmpty, case .project = node.inputs[0].op {
            distinct = true
            node = node.inputs[0]
        }
        guard case .project(let projections) = node.op else { throw EngineError.notSupported("this pull query shape is not executed yet") }
        (projected, self.projections) = (node, projections)
        node = node.inputs[0]
        if case .sort(let keys) = node.op { sortBelow = keys; node = node.inputs[0] }
        var having: ScalarExpression?
        if case .filter(let h) = node.op, case .aggregate = node.inputs[0].op { having = h; node = node.inputs[0] }
        if case .aggregate(let groupBy, let aggregates, _) = node.op {
            aggregation = Aggregation(groupBy: groupBy, aggregates: aggregates, having: having, width: node.schema.count)
            node = node.inputs[0]
        }
        if case .filter(let p) = node.op { predicate = p; node = node.inputs[0] }
        guard case .source(let table) = node.op else {
            // What is left is a nested query: a subquery in FROM or a WITH query (joins were refused by the planner).
            throw EngineError("0A000", "a pull query over a subquery or a WITH query is not executed yet",
                              hint: "select from the table itself: SELECT … FROM table WHERE …")
        }
        (self.table, tableWidth) = (table, node.schema.count)
    }
}

/// A pull plan's shape, filter and projection, read and compiled once for a prepared query.
struct CompiledPull: Sendable {
    var shape: PullShape
    var predicate: CompiledExpression?
    var projections: [CompiledExpression]
}

extension SQLEngine {
    /// Reads the shape of a pull plan and compiles its filter and projection.
    func compile(_ plan: LogicalPlan) throws -> CompiledPull {
        let shape = try PullShape(plan)
        return CompiledPull(
            shape: shape,
            predicate: try shape.predicate.map { try CompiledExpression.compile($0, columnCount: shape.tableWidth, functions: functions) },
            projections: try shape.projections.map {
                try CompiledExpression.compile($0, columnCount: shape.projectedWidth, functions: functions)
            })
    }
}
