import Relational
import Streams
import SQLSyntax

/// Turns a parsed query into a logical plan: FROM (sources, subqueries, CTEs, joins), WHERE, table functions,
/// GROUP BY with windows and HAVING, PARTITION BY, the SELECT list, ORDER BY / LIMIT / OFFSET, UNION ALL.
struct QueryPlanner {
    enum Mode: Equatable {
        /// `SELECT … EMIT CHANGES`, or the query of CSAS / CTAS / INSERT INTO … SELECT.
        case push
        /// `SELECT …` without EMIT: answered once from a table's state.
        case pull
    }

    let catalog: Catalog
    let mode: Mode
    /// CTEs in scope, by name.
    var ctes: [String: LogicalPlan] = [:]
    /// The EMIT FINAL of the query being planned, for its window.
    private var emitFinal = false
    /// A pull query's ORDER BY bound inside its aggregation (aggregates and GROUP BY expressions the SELECT list
    /// need not show), for when the output columns cannot sort it: set by `planAggregation`.
    private var aggregationSortKeys: [LogicalPlan.SortKey]?

    init(catalog: Catalog, mode: Mode) {
        self.catalog = catalog
        self.mode = mode
    }

    mutating func plan(_ query: Query) throws(PlanError) -> LogicalPlan {
        for cte in query.with { ctes[cte.name.value] = try plan(cte.query) }
        aggregationSortKeys = nil
        var result = try planBody(query.body, query: query)
        let sortKeysBelowProjection = aggregationSortKeys
        aggregationSortKeys = nil
        if !query.orderBy.isEmpty {
            guard mode == .pull else {
                throw PlanError(.featureNotSupported, "ORDER BY needs a pull query: a push query never ends, so it cannot be sorted",
                                hint: "remove EMIT CHANGES to query the table's current state", at: query.span)
            }
            // ORDER BY names output columns (aliases); failing that, as in PostgreSQL, columns of the input that
            // the SELECT list does not show: then the sort goes below the projection.
            let shownCount = result.schema.columns.prefix { $0.role != .pseudo }.count
            for item in query.orderBy {
                if case .literal(.integer(let text)) = item.expression.kind, (Int(text).map { $0 < 1 || $0 > shownCount } ?? true) {
                    throw PlanError(.invalidColumnReference, "ORDER BY position \(text) is not in the select list", at: item.expression.span)
                }
            }
            if let keys = try? sortKeys(query.orderBy, over: Scope.forSchema(result.schema, qualifier: nil), positions: result.schema) {
                result = LogicalPlan(.sort(keys), inputs: [result], schema: result.schema, resultKind: result.resultKind, window: result.window)
            } else if case .select(let select) = query.body, select.distinct {
                throw PlanError(.invalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list",
                                at: query.orderBy[0].expression.span)
            } else if case .project(let exprs) = result.op, let input = result.inputs.first {
                let keys: [LogicalPlan.SortKey]
                if let below = sortKeysBelowProjection {
                    keys = below
                } else {
                    // Output names and positions stand for their select items' expressions here, so that
                    // `ORDER BY 2, id` mixes both, as in PostgreSQL.
                    keys = try sortKeys(query.orderBy, over: Scope.forSchema(input.schema, qualifier: nil),
                                        projection: (result.schema, exprs))
                }
                let sorted = LogicalPlan(.sort(keys), inputs: [input], schema: input.schema, resultKind: input.resultKind, window: input.window)
                result.inputs = [sorted]
            } else {
                _ = try sortKeys(query.orderBy, over: Scope.forSchema(result.schema, qualifier: nil), positions: result.schema)  // throws
            }
        }
        if query.limit != nil || query.offset != nil {
            if query.offset != nil && mode == .push {
                throw PlanError(.featureNotSupported, "OFFSET needs a pull query", at: query.span)
            }
            result = LogicalPlan(.limit(count: query.limit, offset: query.offset), inputs: [result], schema: result.schema,
                                 resultKind: result.resultKind, window: result.window)
        }
        return result
    }

    /// `positions`: the output columns an integer (`ORDER BY 2`) numbers from 1, as in PostgreSQL; nil where a
    /// number is a constant.
    private func sortKeys(
        _ items: [SortItem], over scope: Scope, positions: Schema? = nil,
        projection: (schema: Schema, exprs: [ScalarExpression])? = nil
    ) throws(PlanError) -> [LogicalPlan.SortKey] {
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        var keys: [LogicalPlan.SortKey] = []
        for item in items {
            let e: ScalarExpression
            if let projection, case .literal(.integer(let text)) = item.expression.kind, let n = Int(text), n >= 1,
                n <= projection.exprs.count {
                e = projection.exprs[n - 1]
            } else if let projection, case .column(nil, let name) = item.expression.kind,
                let i = projection.schema.columns.firstIndex(where: { $0.name == name.value }), i < projection.exprs.count {
                e = projection.exprs[i]
            } else if let positions, case .literal(.integer(let text)) = item.expression.kind {
                let shown = positions.columns.prefix { $0.role != .pseudo }
                guard let n = Int(text), n >= 1, n <= shown.count else {
                    throw PlanError(.invalidColumnReference, "ORDER BY position \(text) is not in the select list", at: item.expression.span)
                }
                e = ScalarExpression(.column(n - 1), shown[n - 1].type)
            } else {
                e = try binder.bind(item.expression)
            }
            let descending = item.direction == .descending
            // PostgreSQL's default: NULLs sort as larger than every value (last ascending, first descending).
            keys.append(.init(expression: e, descending: descending, nullsFirst: item.nulls.map { $0 == .first } ?? descending))
        }
        return keys
    }

    private mutating func planBody(_ body: QueryBody, query: Query) throws(PlanError) -> LogicalPlan {
        switch body {
        case .select(let select): return try planSelect(select, query: query)
        case .nested(let inner): return try plan(inner)
        case .unionAll(let lhs, let rhs):
            let l = try planBody(lhs, query: query)
            let r = try planBody(rhs, query: query)
            guard l.schema.columns.map(\.type) == r.schema.columns.map(\.type) else {
                throw PlanError(.datatypeMismatch, "UNION ALL needs the same column types on both sides: \(l.schema) and \(r.schema)", at: query.span)
            }
            guard l.resultKind == .stream, r.resultKind == .stream else {
                throw PlanError(.featureNotSupported, "UNION ALL combines streams; a side here is a table", at: query.span)
            }
            return LogicalPlan(.unionAll, inputs: [l, r], schema: l.schema, resultKind: .stream)
        }
    }

    // MARK: - SELECT

    private mutating func planSelect(_ select: Select, query: Query) throws(PlanError) -> LogicalPlan {
        let rows = try planSelectRows(select, query: query)
        // PostgreSQL's limit on a target list, after `*` expansion (the parser bounds the written items).
        let shown = rows.schema.columns.count { $0.role != .pseudo }
        guard shown <= Parser.maximumSelectItems else {
            throw PlanError(.tooManyColumns, "target lists can have at most \(Parser.maximumSelectItems) entries; this one has \(shown)",
                            at: select.span)
        }
        return select.distinct ? try planDistinct(rows, select: select) : rows
    }

    /// SELECT DISTINCT: the rows grouped by every output column, with no aggregate (as PostgreSQL plans it),
    /// above the projection and below ORDER BY and LIMIT. Pull queries only: a push query would have to remember
    /// every row it ever sent.
    private func planDistinct(_ rows: LogicalPlan, select: Select) throws(PlanError) -> LogicalPlan {
        guard mode == .pull else {
            throw PlanError(.featureNotSupported, "SELECT DISTINCT is supported in pull queries only",
                            hint: "GROUP BY the columns for a table of their distinct values (CREATE TABLE … AS SELECT … GROUP BY …)",
                            at: select.span)
        }
        let groupBy = rows.schema.columns.enumerated().map { ScalarExpression(.column($0.offset), $0.element.type) }
        return LogicalPlan(.aggregate(groupBy: groupBy, aggregates: [], window: nil), inputs: [rows], schema: rows.schema,
                           resultKind: .table, window: rows.window)
    }

    private mutating func planSelectRows(_ select: Select, query: Query) throws(PlanError) -> LogicalPlan {
        var (input, scope) = try planFrom(select.from)
        if mode == .pull { try checkPull(input, select: select) }
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        if let condition = select.whereClause {
            binder.aggregatesForbiddenIn = "WHERE"
            let predicate = try boolean(try binder.bind(condition), condition.span)
            input = LogicalPlan(.filter(predicate), inputs: [input], schema: input.schema, resultKind: input.resultKind, window: input.window)
        }
        (input, scope) = try planTableFunctions(select, input: input, scope: scope)
        let aggregates = select.items.contains(where: containsAggregate) || select.having.map(containsAggregate) ?? false
        if select.window != nil && select.groupBy.isEmpty && !aggregates {
            throw PlanError(.windowingError, "WINDOW needs an aggregation (GROUP BY or an aggregate function)", at: select.window!.span)
        }
        if query.emit == .final && select.window == nil {
            throw PlanError(.windowingError, "EMIT FINAL is only for windowed aggregations", hint: "use EMIT CHANGES",
                            at: query.emitSpan.length == 0 ? query.span : query.emitSpan)
        }
        emitFinal = query.emit == .final
        if !select.groupBy.isEmpty || aggregates {
            // A pull query's ORDER BY may name aggregates and GROUP BY expressions the SELECT list leaves out.
            let orderBy: [SortItem]
            if mode == .pull, case .select = query.body { orderBy = query.orderBy } else { orderBy = [] }
            return try planAggregation(select, input: input, scope: scope, orderBy: orderBy)
        }
        if let having = select.having {
            throw PlanError(.groupingError, "HAVING needs GROUP BY or an aggregate function", at: having.span)
        }
        if !select.partitionBy.isEmpty {
            (input, scope) = try planPartitionBy(select.partitionBy, input: input, scope: scope)
        }
        return try planProjection(select.items, input: input, scope: scope, aggregation: nil)
    }

    private func boolean(_ e: ScalarExpression, _ span: SourceSpan) throws(PlanError) -> ScalarExpression {
        guard e.type == .boolean || e.isNullLiteral else {
            throw PlanError(.datatypeMismatch, "a condition must be BOOLEAN, not \(e.type)", at: span)
        }
        return e
    }

    private func checkPull(_ input: LogicalPlan, select: Select) throws(PlanError) {
        guard input.resultKind == .table else {
            throw PlanError(.wrongObjectType, "a pull query needs a table; this query reads a stream",
                            hint: "add EMIT CHANGES for a push query over the stream", at: select.span)
        }
        if !select.partitionBy.isEmpty {
            throw PlanError(.featureNotSupported, "PARTITION BY is not allowed in a pull query", at: select.span)
        }
    }

    private func containsAggregate(_ item: SelectItem) -> Bool {
        if case .expression(let e, _) = item { return containsAggregate(e) }
        return false
    }

    private func containsAggregate(_ e: Expr) -> Bool {
        e.contains { node in
            if case .function(let call) = node.kind { return catalog.functions.kind(of: call.name.value) == .aggregate }
            return false
        }
    }

    // MARK: - FROM

    private mutating func planFrom(_ relation: Relation?) throws(PlanError) -> (LogicalPlan, Scope) {
        guard let relation else {
            throw PlanError(.featureNotSupported, "a query over no source is answered by the session (SELECT 1), not planned as a query")
        }
        switch relation.kind {
        case .source(let name, let alias):
            if let cte = ctes[name.value] {
                return (cte, Scope.forSchema(cte.schema, qualifier: alias?.value ?? name.value))
            }
            let source = try catalog.source(name)
            let columns = source.rowColumns
            let plan = LogicalPlan(.source(source), schema: Schema(columns), resultKind: source.kind == .stream ? .stream : .table)
            var scope = Scope.forSource(source, columns: columns, alias: alias?.value)
            // A pull query reads a table's stored rows, which keep neither the partition nor the offset they came
            // from: the binder refuses the two pseudo-columns rather than answering NULL.
            if mode == .pull { scope.entries.removeAll { Scope.offsetColumns.contains($0.name) && $0.role == .pseudo } }
            return (plan, scope)
        case .subquery(let inner, let alias):
            var nested = QueryPlanner(catalog: catalog, mode: mode)
            nested.ctes = ctes
            let plan = try nested.plan(inner)
            return (plan, Scope.forSchema(plan.schema, qualifier: alias?.value))
        case .join(let join):
            return try planJoin(join)
        }
    }

    private mutating func planJoin(_ join: Join) throws(PlanError) -> (LogicalPlan, Scope) {
        if mode == .pull { throw PlanError(.featureNotSupported, "joins are not supported in pull queries", at: join.condition.span) }
        let (left, leftScope) = try planFrom(join.left)
        let (right, rightScope) = try planFrom(join.right)
        let scope = leftScope.appending(rightScope)
        let kind = JoinDefinition.Kind(rawValue: join.kind.rawValue)!
        let resultKind = try joinResultKind(left.resultKind, right.resultKind, kind, join)
        var leftKeys: [ScalarExpression] = []
        var rightKeys: [ScalarExpression] = []
        var residual: [ScalarExpression] = []
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        binder.aggregatesForbiddenIn = "a join condition"
        var equalities: [(left: ScalarExpression, right: ScalarExpression, conjunct: Expr)] = []
        for conjunct in Self.conjuncts(join.condition) {
            if case .binary(.equal, let a, let b) = conjunct.kind,
                let (l, r) = try equiKey(a, b, leftScope: leftScope, rightScope: rightScope) {
                equalities.append((l, r, conjunct))
            } else {
                residual.append(try boolean(try binder.bind(conjunct), conjunct.span))
            }
        }
        // A table side is looked up by its PRIMARY KEY: of several equalities, those on the key columns are the join
        // key and the others are checked on the joined row, like any other condition.
        // Sides by reference to the plans (an array of (plan, flag) pairs would copy each plan, field by field).
        for isRight in [true, false] where (isRight ? right.resultKind : left.resultKind) == .table {
            let keyColumns = (isRight ? right.schema : left.schema).indices(role: .key)
            let onKey = keyColumns.compactMap { k in
                equalities.firstIndex { e in
                    if case .column(let i) = (isRight ? e.right : e.left).kind { return i == k }
                    return false
                }
            }
            guard !keyColumns.isEmpty, onKey.count == keyColumns.count, onKey.count < equalities.count else { continue }
            for (i, e) in equalities.enumerated() where !onKey.contains(i) {
                residual.append(try boolean(try binder.bind(e.conjunct), e.conjunct.span))
            }
            equalities = onKey.map { equalities[$0] }
        }
        leftKeys = equalities.map(\.left)
        rightKeys = equalities.map(\.right)
        guard !leftKeys.isEmpty else {
            throw PlanError(.featureNotSupported, "a join needs at least one equality between a column of each side",
                            hint: "non-equi conditions are allowed on top of an equality", at: join.condition.span)
        }
        let within = join.within
        var definition = JoinDefinition(
            kind: kind, leftKeys: leftKeys, rightKeys: rightKeys,
            residual: residual.dropFirst().reduce(residual.first) { acc, e in acc.map { ScalarExpression(.and($0, e), .boolean) } },
            withinBeforeMs: within?.before.milliseconds, withinAfterMs: (within?.after ?? within?.before)?.milliseconds,
            // Without GRACE PERIOD, ksqlDB's default for WITHIN: 24 hours, as for windows.
            graceMs: within.map { $0.grace?.milliseconds ?? WindowDefinition.defaultGraceMs })
        let foreignKey = try checkJoinKeys(left, right, leftKeys, rightKeys, kind: kind, join)
        if foreignKey { definition.leftPrimaryKey = left.schema.indices(role: .key) }
        // The result is keyed by the join key: the left columns that are the join key keep the KEY role (the right
        // ones if the left keys are expressions); every other key column becomes a value. A foreign-key join's
        // result is keyed by the left table's PRIMARY KEY, as in ksqlDB.
        func plainColumns(_ keys: [ScalarExpression]) -> Set<Int> {
            Set(keys.compactMap { if case .column(let i) = $0.kind { return i } else { return nil } })
        }
        let leftKeyColumns = foreignKey ? Set(left.schema.indices(role: .key)) : plainColumns(leftKeys)
        let rightKeyColumns = leftKeyColumns.isEmpty ? plainColumns(rightKeys) : []
        var columns: [Column] = []
        columns.reserveCapacity(left.schema.count + right.schema.count)
        // By index, reading fields in place: iterating (column, entry) pairs copied both (names, types, qualifier
        // arrays retained) per column.
        func appendSide(_ side: [Column], _ sideScope: Scope, keys: Set<Int>) {
            for i in 0..<min(side.count, sideScope.entries.count) {
                let role = side[i].role
                let isKey = role != .pseudo && keys.contains(i)
                let name: String
                // The scope's unprefixed name: a nested join's columns are prefixed once (A_ID, not A_A_ID).
                if let prefix = sideScope.entries[i].qualifiers.last, !prefix.isEmpty {
                    name = prefix + "_" + sideScope.entries[i].name
                } else {
                    name = side[i].name
                }
                columns.append(Column(name, side[i].type, role: isKey ? .key : (role == .key ? .value : role)))
            }
        }
        appendSide(left.schema.columns, leftScope, keys: leftKeyColumns)
        appendSide(right.schema.columns, rightScope, keys: rightKeyColumns)
        let plan = LogicalPlan(.join(definition), inputs: [left, right], schema: Schema(uniqueNames(columns)), resultKind: resultKind)
        return (plan, scope)
    }

    /// Both sides must be partitioned alike, and a table side is joined on its PRIMARY KEY, except the left table
    /// of a foreign-key join (INNER or LEFT, the right table on its PRIMARY KEY), whose sides may be partitioned
    /// differently (as in ksqlDB). Returns whether it is one.
    private func checkJoinKeys(
        _ left: LogicalPlan, _ right: LogicalPlan, _ leftKeys: [ScalarExpression], _ rightKeys: [ScalarExpression],
        kind: JoinDefinition.Kind, _ join: Join
    ) throws(PlanError) -> Bool {
        // Names and partition counts only: a whole SourceDescription copied out of each plan retains all its fields.
        let l = Planner.withLeftmostSource(left) { (name: $0.name, partitions: $0.partitions) }
        let r = Planner.withLeftmostSource(right) { (name: $0.name, partitions: $0.partitions) }
        func checkCopartitioned() throws(PlanError) {
            if let l, let r, l.partitions != r.partitions {
                throw PlanError(.invalidParameter, "cannot join \(l.name) with \(r.name): they have \(l.partitions) and \(r.partitions) partitions",
                                hint: "re-partition one of them (CREATE STREAM … WITH (PARTITIONS=n) AS SELECT …) so that the counts match",
                                at: join.condition.span)
            }
        }
        func isKey(_ keys: [ScalarExpression], of plan: LogicalPlan) -> Bool {
            let keyColumns = plan.schema.indices(role: .key)
            return !keyColumns.isEmpty && keys.count == keyColumns.count && zip(keys, keyColumns).allSatisfy { e, k in
                if case .column(let i) = e.kind { return i == k }
                return false
            }
        }
        if right.resultKind == .table && !isKey(rightKeys, of: right) {
            throw PlanError(.featureNotSupported, "a join with a table must be on the table's PRIMARY KEY", at: join.condition.span)
        }
        guard left.resultKind == .table && !isKey(leftKeys, of: left) else {
            try checkCopartitioned()
            return false
        }
        // A foreign-key join: the left table's rows find their right row by the left's column(s).
        guard kind == .inner || kind == .left else {
            throw PlanError(.featureNotSupported, "a foreign-key table-table join is INNER or LEFT, not \(kind.rawValue) (as in ksqlDB)",
                            at: join.condition.span)
        }
        return true
    }

    private func joinResultKind(_ l: LogicalPlan.ResultKind, _ r: LogicalPlan.ResultKind, _ kind: JoinDefinition.Kind, _ join: Join) throws(PlanError) -> LogicalPlan.ResultKind {
        switch (l, r) {
        case (.stream, .stream):
            guard join.within != nil else {
                throw PlanError(.featureNotSupported, "a stream-stream join needs WITHIN", hint: "e.g. JOIN s WITHIN 1 HOUR ON …", at: join.condition.span)
            }
            return .stream
        case (.stream, .table):
            guard kind == .inner || kind == .left else {
                throw PlanError(.featureNotSupported, "a stream-table join is INNER or LEFT, not \(kind.rawValue)", at: join.condition.span)
            }
            if join.within != nil { throw PlanError(.featureNotSupported, "WITHIN applies to stream-stream joins only", at: join.condition.span) }
            return .stream
        case (.table, .stream):
            throw PlanError(.featureNotSupported, "put the stream on the left of a stream-table join", at: join.condition.span)
        case (.table, .table):
            if join.within != nil { throw PlanError(.featureNotSupported, "WITHIN applies to stream-stream joins only", at: join.condition.span) }
            return .table
        }
    }

    /// `a = b` where one side uses only left columns and the other only right ones: the pair, oriented left/right.
    private func equiKey(_ a: Expr, _ b: Expr, leftScope: Scope, rightScope: Scope) throws(PlanError) -> (ScalarExpression, ScalarExpression)? {
        var leftBinder = ExpressionBinder(catalog: catalog, scope: leftScope)
        var rightBinder = ExpressionBinder(catalog: catalog, scope: rightScope)
        if let l = try? leftBinder.bind(a), let r = try? rightBinder.bind(b) { return try keyPair(l, r, a.span) }
        if let l = try? leftBinder.bind(b), let r = try? rightBinder.bind(a) { return try keyPair(l, r, a.span) }
        return nil
    }

    private func keyPair(_ l: ScalarExpression, _ r: ScalarExpression, _ span: SourceSpan) throws(PlanError) -> (ScalarExpression, ScalarExpression) {
        if l.type == r.type { return (l, r) }
        guard let common = DataType.commonSuperType(l.type, r.type) else {
            throw PlanError(.datatypeMismatch, "join keys have different types: \(l.type) and \(r.type)", at: span)
        }
        return (ScalarExpression(.cast(l), common), ScalarExpression(.cast(r), common))
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    // MARK: - Table functions

    /// EXPLODE and friends in the SELECT list: each becomes a column appended to the row by a table-function node.
    private func planTableFunctions(_ select: Select, input: LogicalPlan, scope: Scope) throws(PlanError) -> (LogicalPlan, Scope) {
        var plan = input
        var scope = scope
        let functions = catalog.functions
        let hasTableCall = select.items.contains { item in
            guard case .expression(let e, _) = item, case .function(let call) = e.kind else { return false }
            return functions.kind(of: call.name.value) == .table
        }
        guard hasTableCall else { return (plan, scope) }
        for item in select.items {
            guard case .expression(let e, _) = item, case .function(let call) = e.kind,
                catalog.functions.kind(of: call.name.value) == .table, let description = catalog.functions[call.name.value]
            else { continue }
            var binder = ExpressionBinder(catalog: catalog, scope: scope)
            binder.aggregatesForbiddenIn = "a table function's arguments"
            let (arguments, resolution) = try binder.resolveArguments(call, description: description)
            let name = "KSQL_TF_\(plan.schema.count)"
            var columns = plan.schema.columns
            columns.append(Column(name, resolution.returnType))
            scope.entries.append(.init(qualifiers: [], name: name, type: resolution.returnType, index: scope.count, role: .value))
            plan = LogicalPlan(.tableFunction(name: description.name, arguments: arguments), inputs: [plan], schema: Schema(columns), resultKind: .stream)
        }
        return (plan, scope)
    }

    // MARK: - Aggregation

    private mutating func planAggregation(
        _ select: Select, input: LogicalPlan, scope: Scope, orderBy: [SortItem] = []
    ) throws(PlanError) -> LogicalPlan {
        var keyBinder = ExpressionBinder(catalog: catalog, scope: scope)
        keyBinder.aggregatesForbiddenIn = "GROUP BY"
        var groupBy: [ScalarExpression] = []
        for e in select.groupBy { groupBy.append(try keyBinder.bind(e)) }
        var window = try select.window.map { (w) throws(PlanError) in try bindWindow(w, input: input) }
        window?.emitFinal = emitFinal
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        // Built in place: a local copy kept alongside would make the binder's first append to each array copy it.
        binder.aggregation = AggregationContext(
            groupBy: select.groupBy, groupTypes: groupBy.map(\.type), windowed: window != nil, inputScope: scope,
            expectedAggregates: select.items.count + 1)
        // Bind the projection and HAVING first: they decide which aggregates the node computes.
        var items: [(ScalarExpression, String)] = []
        items.reserveCapacity(select.items.count)
        for (i, item) in select.items.enumerated() {
            guard case .expression(let e, let alias) = item else {
                throw PlanError(.groupingError, "SELECT * is not allowed with GROUP BY; name the columns", at: select.span)
            }
            items.append((try binder.bind(e), alias?.value ?? Self.defaultName(e, index: i)))
        }
        let having = try select.having.map { (h) throws(PlanError) in try boolean(try binder.bind(h), h.span) }
        if !orderBy.isEmpty {
            // Bound on a copy: when a key does not bind here, `plan` sorts by the output columns (or reports the
            // error) and the aggregates this added are not wanted. An output name or position stands for its
            // select item's expression, so `ORDER BY total, MAX(x)` mixes both, as in PostgreSQL.
            var sorting = binder
            var keys: [LogicalPlan.SortKey] = []
            for item in orderBy {
                var named: ScalarExpression?
                if case .column(nil, let name) = item.expression.kind { named = items.first { $0.1 == name.value }?.0 }
                if case .literal(.integer(let text)) = item.expression.kind, let n = Int(text), n >= 1, n <= items.count {
                    named = items[n - 1].0
                }
                guard let e = named ?? (try? sorting.bind(item.expression)) else { break }
                let descending = item.direction == .descending
                keys.append(.init(expression: e, descending: descending, nullsFirst: item.nulls.map { $0 == .first } ?? descending))
            }
            if keys.count == orderBy.count {
                aggregationSortKeys = keys
                binder = sorting
            }
        }
        var context = binder.aggregation.take()!  // the only reference: changed below without copying
        if mode != .pull {
            // A persistent aggregation keeps one state per aggregate, not the values it has seen: COUNT(DISTINCT x)
            // runs as COUNT_DISTINCT(x), which keeps them; other DISTINCT aggregates run only over a snapshot.
            for (i, call) in context.aggregates.enumerated() where call.distinct {
                guard call.function == "COUNT", call.arguments.count == 1, input.resultKind == .stream else {
                    throw PlanError(.featureNotSupported, "\(call.function)(DISTINCT …) is supported in pull queries only",
                                    hint: "use COUNT_DISTINCT(x) or COLLECT_SET(x) in a persistent query", at: select.span)
                }
                context.aggregates[i] = AggregateCall(function: "COUNT_DISTINCT", arguments: call.arguments, distinct: false, type: .bigint)
            }
        }
        if input.resultKind == .table && mode != .pull {
            // A persistent query follows the table (a pull query aggregates one snapshot of it): a table's rows change,
            // so each aggregate must be able to take a row back out, and a hidden COUNT(*) (the last aggregate, not
            // shown) tells the executor when a group is empty.
            for call in context.aggregates where !AggregateCall.retractableFunctions.contains(call.function) || call.distinct {
                throw PlanError(.featureNotSupported, "\(call.function)\(call.distinct ? " DISTINCT" : "") cannot aggregate a table: a changed row cannot be taken back out of it",
                                hint: "over a table use COUNT, SUM, AVG, COLLECT_LIST or HISTOGRAM, or aggregate the stream the table is built from",
                                at: select.span)
            }
            context.aggregates.append(AggregateCall(function: "COUNT", arguments: [], distinct: false, type: .bigint))
        }
        let groupNames = select.groupBy.enumerated().map { Self.defaultName($0.element, index: $0.offset) }
        let aggregateSchema = context.outputSchema(groupNames: groupNames)
        var plan = LogicalPlan(.aggregate(groupBy: groupBy, aggregates: context.aggregates, window: window), inputs: [input],
                               schema: aggregateSchema, resultKind: .table, window: window)
        if let having {
            plan = LogicalPlan(.filter(having), inputs: [plan], schema: plan.schema, resultKind: .table, window: window)
        }
        var columns: [Column] = []
        columns.reserveCapacity(items.count + 2)
        for (e, name) in items {
            let isKey: Bool
            if case .column(let i) = e.kind { isKey = i < groupBy.count } else { isKey = false }
            columns.append(Column(name, e.type, role: isKey ? .key : .value))
        }
        try checkUnique(columns, span: select.span)
        var exprs = items.map(\.0)
        // A windowed result keeps its window bounds, whatever the SELECT list shows: the sink writes them into the
        // record key (ksqlDB's windowed keys) and the table is keyed by key and window.
        if window != nil {
            exprs += [ScalarExpression(.column(context.windowColumnsStart), .bigint), ScalarExpression(.column(context.windowColumnsStart + 1), .bigint)]
            columns += [Column("WINDOWSTART", .bigint, role: .pseudo), Column("WINDOWEND", .bigint, role: .pseudo)]
        }
        return LogicalPlan(.project(exprs), inputs: [plan], schema: Schema(columns), resultKind: .table, window: window)
    }

    private func bindWindow(_ w: WindowClause, input: LogicalPlan) throws(PlanError) -> WindowDefinition {
        guard input.resultKind == .stream else {
            throw PlanError(.windowingError, "windows apply to streams; this query aggregates a table", at: w.span)
        }
        func ms(_ d: WindowDuration) throws(PlanError) -> Int64 {
            guard let value = d.milliseconds, value > 0 else {
                throw PlanError(.windowingError, "window durations must be positive and fit in 64 bits", at: d.span)
            }
            return value
        }
        let kind: WindowDefinition.Kind
        var span: Int64
        switch w.kind {
        case .tumbling(let size):
            span = try ms(size)
            kind = .tumbling(size: span)
        case .hopping(let size, let advance):
            span = try ms(size)
            let step = try ms(advance)
            guard step <= span else { throw PlanError(.windowingError, "ADVANCE BY (\(step) ms) must not exceed SIZE (\(span) ms)", at: advance.span) }
            kind = .hopping(size: span, advance: step)
        case .session(let gap):
            span = try ms(gap)
            kind = .session(gap: span)
        }
        var grace = WindowDefinition.defaultGraceMs
        if let g = w.grace {
            guard let value = g.milliseconds, value >= 0 else { throw PlanError(.windowingError, "GRACE PERIOD must be ≥ 0 and fit in 64 bits", at: g.span) }
            grace = value
        }
        let retention = try w.retention.map { (r) throws(PlanError) in try ms(r) } ?? max(WindowDefinition.defaultRetentionMs, span + grace)
        guard retention >= span + grace else {
            throw PlanError(.windowingError, "RETENTION (\(retention) ms) must be at least window size plus grace period (\(span + grace) ms)", at: w.span)
        }
        return WindowDefinition(kind: kind, graceMs: grace, retentionMs: retention)
    }

    // MARK: - PARTITION BY and projection

    private func planPartitionBy(_ exprs: [Expr], input: LogicalPlan, scope: Scope) throws(PlanError) -> (LogicalPlan, Scope) {
        guard input.resultKind == .stream else {
            throw PlanError(.featureNotSupported, "PARTITION BY re-keys streams; a table's key is its PRIMARY KEY", at: exprs[0].span)
        }
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        binder.aggregatesForbiddenIn = "PARTITION BY"
        var keys: [ScalarExpression] = []
        for e in exprs { keys.append(try binder.bind(e)) }
        // The row keeps its columns; the new key columns are marked, replacing the old key role.
        var columns = input.schema.columns.map { c -> Column in
            var c = c
            if c.role == .key { c.role = .value }
            return c
        }
        for (i, key) in keys.enumerated() {
            if case .column(let index) = key.kind, index < columns.count {
                columns[index].role = .key
            } else {
                columns.append(Column(Self.defaultName(exprs[i], index: i), key.type, role: .key))
            }
        }
        let plan = LogicalPlan(.repartition(keys), inputs: [input], schema: Schema(uniqueNames(columns)), resultKind: .stream)
        var newScope = scope
        for (i, column) in plan.schema.columns.enumerated() where i >= scope.count {
            newScope.entries.append(.init(qualifiers: [], name: column.name, type: column.type, index: i, role: .key))
        }
        return (plan, newScope)
    }

    private func planProjection(_ items: [SelectItem], input: LogicalPlan, scope: Scope, aggregation: AggregationContext?) throws(PlanError) -> LogicalPlan {
        var binder = ExpressionBinder(catalog: catalog, scope: scope)
        binder.aggregatesForbiddenIn = "this SELECT (there is no GROUP BY)"
        var exprs: [ScalarExpression] = []
        var columns: [Column] = []
        var keysShown: Set<Int> = []
        var itemOfColumn: [Int] = []  // for the position of a duplicate name's error
        var position = 0
        func add(_ e: ScalarExpression, _ name: String) {
            var role = Column.Role.value
            // A key column selected more than once is the key only the first time.
            if case .column(let i) = e.kind, i < input.schema.count, input.schema[i].role == .key, keysShown.insert(i).inserted { role = .key }
            exprs.append(e)
            columns.append(Column(name, e.type, role: role))
            itemOfColumn.append(position)
        }
        for (index, item) in items.enumerated() {
            position = index
            switch item {
            case .wildcard:
                for entry in scope.entries where entry.role != .pseudo && !entry.name.hasPrefix("KSQL_TF_") {
                    add(ScalarExpression(.column(entry.index), entry.type), Self.wildcardName(entry, input))
                }
            case .qualifiedWildcard(let qualifier):
                let matching = scope.entries.filter { $0.qualifiers.contains(qualifier.value) && $0.role != .pseudo }
                guard !matching.isEmpty else {
                    throw PlanError(.undefinedSource, "\(qualifier.value) is not a source of this query", at: qualifier.span)
                }
                for entry in matching { add(ScalarExpression(.column(entry.index), entry.type), Self.wildcardName(entry, input)) }
            case .structWildcard(let e):
                let base = try binder.bind(e)
                guard case .struct(let fields) = base.type else {
                    throw PlanError(.datatypeMismatch, "->* needs a STRUCT, not \(base.type)", at: e.span)
                }
                for (i, field) in fields.enumerated() { add(ScalarExpression(.field(base, index: i), field.type), field.name) }
            case .expression(let e, let alias):
                if case .function(let call) = e.kind, catalog.functions.kind(of: call.name.value) == .table {
                    let entry = scope.entries.first { $0.name == "KSQL_TF_\(Self.tableFunctionIndex(items, position, scope))" }
                    if let entry { add(ScalarExpression(.column(entry.index), entry.type), alias?.value ?? Self.defaultName(e, index: position)) }
                    continue
                }
                add(try binder.bind(e), alias?.value ?? Self.defaultName(e, index: position))
            }
        }
        if let i = Self.firstRepeat(columns) {
            throw PlanError(.duplicateColumn, "the result has two columns named \(columns[i].name)", hint: "give one of them an alias with AS",
                            at: Self.span(of: items[itemOfColumn[i]]))
        }
        return LogicalPlan(.project(exprs), inputs: [input], schema: Schema(columns), resultKind: input.resultKind, window: input.window)
    }

    /// The name a column keeps under `*` or `src.*`: the input's, which over a join is prefixed with its source
    /// (`O_ID`, `U_ID`, as ksqlDB names a join's columns), so that both sides' columns of the same name can be shown.
    private static func wildcardName(_ entry: Scope.Entry, _ input: LogicalPlan) -> String {
        entry.index < input.schema.count ? input.schema[entry.index].name : entry.name
    }

    /// Where a select item is written: its alias if it has one.
    private static func span(of item: SelectItem) -> SourceSpan {
        switch item {
        case .wildcard(let span): span
        case .qualifiedWildcard(let qualifier): qualifier.span
        case .structWildcard(let e): e.span
        case .expression(let e, let alias): alias?.span ?? e.span
        }
    }

    /// The KSQL_TF_n column made for the table function at `position` (n is the row width when it was added).
    private static func tableFunctionIndex(_ items: [SelectItem], _ position: Int, _ scope: Scope) -> Int {
        let tableColumns = scope.entries.filter { $0.name.hasPrefix("KSQL_TF_") }.map(\.index)
        var seen = 0
        for (i, item) in items.enumerated() where i < position {
            if case .expression(let e, _) = item, case .function = e.kind, tableColumns.count > seen { seen += isTableCall(e) ? 1 : 0 }
        }
        return seen < tableColumns.count ? tableColumns[seen] : -1
    }

    private static func isTableCall(_ e: Expr) -> Bool {
        if case .function(let call) = e.kind { return FunctionRegistry.builtIn.kind(of: call.name.value) == .table }
        return false
    }

    /// ksqlDB's naming of unaliased select items: a column keeps its name, a struct field its field name, anything
    /// else KSQL_COL_<position>.
    static func defaultName(_ e: Expr, index: Int) -> String {
        switch e.kind {
        case .column(_, let name): name.value
        case .dereference(_, let field): field.value
        default: "KSQL_COL_\(index)"
        }
    }

    private func checkUnique(_ columns: [Column], span: SourceSpan) throws(PlanError) {
        if let i = Self.firstRepeat(columns) {
            throw PlanError(.duplicateColumn, "the result has two columns named \(columns[i].name)", hint: "give one of them an alias with AS", at: span)
        }
    }

    /// The first column whose name an earlier column has. Results are usually a few dozen columns wide, where
    /// comparing pairs is cheaper than hashing every name.
    private static func firstRepeat(_ columns: [Column]) -> Int? {
        if columns.count <= 64 {
            return columns.indices.dropFirst().first { i in columns[..<i].contains { $0.name.isSameName(as: columns[i].name) } }
        }
        var seen: Set<String> = []
        return columns.indices.first { !seen.insert(columns[$0].name).inserted }
    }

    /// Renames repeated names NAME_2, NAME_3, … in order of appearance.
    private func uniqueNames(_ columns: [Column]) -> [Column] {
        guard Self.firstRepeat(columns) != nil else { return columns }
        var seen: [String: Int] = [:]
        return columns.map { column in
            var c = column
            if let n = seen[c.name] {
                seen[c.name] = n + 1
                c.name = "\(c.name)_\(n + 1)"
            } else {
                seen[c.name] = 1
            }
            return c
        }
    }
}
