import Relational
import Streams
import SQLSyntax

/// Binds and plans statements against a catalog. Pure: no I/O, no engine state beyond the catalog given.
public struct Planner: Sendable {
    public var catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public func plan(_ statement: Statement) throws(PlanError) -> PlannedStatement {
        switch statement.kind {
        case .createSource(let create): return try planCreateSource(create, span: statement.span)
        case .createAsSelect(let create): return try planCreateAsSelect(create, span: statement.span)
        case .insertSelect(let insert): return try planInsertSelect(insert, span: statement.span)
        case .insertValues(let insert): return try planInsertValues(insert)
        case .query(let query): return try planQuery(query)
        case .delete(let delete): return try planDelete(delete, span: statement.span)
        case .createType(let create):
            return .createType(name: create.name.value, type: try catalog.resolve(create.type), ifNotExists: create.ifNotExists)
        case .explain(let explain):
            if case .statement(let inner) = explain { return .explain(try explainText(inner)) }
            return .command(statement)
        default:
            return .command(statement)
        }
    }

    /// The logical plan of a query, as push or pull by its EMIT clause.
    public func planQuery(_ query: Query) throws(PlanError) -> PlannedStatement {
        var planner = QueryPlanner(catalog: catalog, mode: query.emit == nil ? .pull : .push)
        let plan = try planner.plan(query)
        return query.emit == nil ? .pullQuery(plan) : .pushQuery(plan)
    }

    func explainText(_ statement: Statement) throws(PlanError) -> String {
        switch try plan(statement) {
        case .createAsSelect(let sink, let plan, _, _), .insertSelect(let sink, let plan):
            let dataflow = StreamPlanner.lower(plan, queryID: "QUERY", sink: sink)
            return "Sink \(sink.name) (\(sink.kind.rawValue)) topic=\(sink.topic) key=\(sink.keyFormat) value=\(sink.valueFormat)\n"
                + Explain.text(plan) + "\nDataflow:\n" + dataflow.text
        case .pushQuery(let plan):
            // The dataflow too, as for CREATE … AS SELECT: where a push query repartitions is in it.
            return "Push query\n" + Explain.text(plan) + "\nDataflow:\n" + StreamPlanner.lower(plan, queryID: "QUERY").text
        case .pullQuery(let plan): return "Pull query\n" + Explain.text(plan)
        default:
            throw PlanError(.featureNotSupported, "EXPLAIN shows the plan of queries, CREATE … AS SELECT and INSERT INTO … SELECT", at: statement.span)
        }
    }

    // MARK: - CREATE STREAM / TABLE

    private func planCreateSource(_ create: Statement.CreateSource, span: SourceSpan) throws(PlanError) -> PlannedStatement {
        let kind: SourceDescription.Kind = create.kind == .stream ? .stream : .table
        var columns: [Column] = []
        var seen: Set<String> = []
        for element in create.elements {
            let name = element.name.value
            guard seen.insert(name).inserted else {
                throw PlanError(.duplicateColumn, "column \(name) is declared twice", at: element.name.span)
            }
            if SourceProperties.pseudoColumns.contains(name) {
                throw PlanError(.duplicateColumn, "\(name) is a pseudo-column and cannot be declared", at: element.name.span)
            }
            let type = try catalog.resolve(element.type)
            switch element.constraint {
            case .key?:
                guard kind == .stream else {
                    throw PlanError(.invalidParameter, "a table's key column is declared PRIMARY KEY, not KEY", at: element.name.span)
                }
                columns.append(Column(name, type, role: .key))
            case .primaryKey?:
                guard kind == .table else {
                    throw PlanError(.invalidParameter, "a stream's key column is declared KEY, not PRIMARY KEY (streams have no primary key)", at: element.name.span)
                }
                columns.append(Column(name, type, role: .key))
            case .headers?: columns.append(Column(name, type, role: .header))
            case .header(let key)?: columns.append(Column(name, type, role: .header, headerKey: key))
            case nil: columns.append(Column(name, type))
            }
        }
        if kind == .table && !columns.contains(where: { $0.role == .key }) {
            throw PlanError(.invalidParameter, "table \(create.name.value) needs a PRIMARY KEY column", at: create.name.span)
        }
        if columns.filter({ $0.role != .key && $0.role != .header }).isEmpty {
            throw PlanError(.invalidParameter, "\(create.name.value) needs at least one value column", at: create.name.span)
        }
        // ksqlDB's logical order: key columns first.
        let ordered = columns.filter { $0.role == .key } + columns.filter { $0.role != .key }
        let properties = try SourceProperties(create.properties, requireTopic: true)
        if let (_, at) = properties.values["QUERY_ID"] {
            throw PlanError(.invalidProperty, "CREATE STREAM/TABLE starts no query to name with QUERY_ID",
                            hint: "QUERY_ID belongs to CREATE … AS SELECT and INSERT INTO … SELECT", at: at)
        }
        let schema = Schema(ordered)
        try properties.validate(for: schema, span: span)
        let description = properties.description(name: create.name.value, kind: kind, schema: schema, readOnly: create.isSource)
        if !create.orReplace && !create.ifNotExists, catalog.sources[description.name] != nil {
            throw PlanError(.duplicateObject, "\(kind.rawValue.lowercased()) \(description.name) already exists",
                            hint: "use CREATE OR REPLACE or IF NOT EXISTS", at: create.name.span)
        }
        return .createSource(description, orReplace: create.orReplace, ifNotExists: create.ifNotExists)
    }

    // MARK: - CREATE … AS SELECT, INSERT INTO … SELECT

    private func planCreateAsSelect(_ create: Statement.CreateAsSelect, span: SourceSpan) throws(PlanError) -> PlannedStatement {
        guard create.query.emit != .final || create.kind == .table else {
            throw PlanError(.windowingError, "EMIT FINAL produces a table; use CREATE TABLE … AS SELECT",
                            at: create.query.emitSpan.length == 0 ? span : create.query.emitSpan)
        }
        var planner = QueryPlanner(catalog: catalog, mode: .push)
        let plan = try planner.plan(create.query)
        let kind: SourceDescription.Kind = create.kind == .stream ? .stream : .table
        if kind == .stream && plan.resultKind == .table {
            throw PlanError(.wrongObjectType, "this query produces a table (it aggregates or reads a table)", hint: "use CREATE TABLE … AS SELECT", at: span)
        }
        if kind == .table && plan.resultKind == .stream {
            throw PlanError(.wrongObjectType, "this query produces a stream", hint: "use CREATE STREAM … AS SELECT, or aggregate with GROUP BY", at: span)
        }
        if kind == .table && plan.schema.count(role: .key) == 0 && !Self.isGlobalAggregate(plan) {
            throw PlanError(.invalidParameter, "a table needs its key in the projection: select the GROUP BY (or PRIMARY KEY) columns", at: span)
        }
        var properties = try SourceProperties(create.properties, requireTopic: false)
        let inherited = Self.leftmostSource(plan)
        properties.inherit(from: inherited, defaultTopic: create.name.value)
        let schema = Schema(plan.schema.columns.filter { $0.role != .pseudo })
        try properties.validate(for: schema, span: span)
        var sink = properties.description(name: create.name.value, kind: kind, schema: schema, readOnly: false)
        sink.windowType = plan.window?.type
        if let window = plan.window, window.type != .session {
            sink.properties["WINDOW_SIZE"] = "\(window.sizeMs) MILLISECONDS"
        }
        if !create.orReplace && !create.ifNotExists, catalog.sources[sink.name] != nil {
            throw PlanError(.duplicateObject, "\(kind.rawValue.lowercased()) \(sink.name) already exists", hint: "use CREATE OR REPLACE or IF NOT EXISTS", at: create.name.span)
        }
        return .createAsSelect(sink: sink, plan: plan, orReplace: create.orReplace, ifNotExists: create.ifNotExists)
    }

    /// An aggregation without GROUP BY: one row, no key (beyond ksqlDB, which allows it in push queries only).
    static func isGlobalAggregate(_ plan: LogicalPlan) -> Bool {
        if case .aggregate(let groupBy, _, _) = plan.op { return groupBy.isEmpty }
        return plan.inputs.contains(where: isGlobalAggregate)
    }

    /// What `body` reads of the source a plan starts from, following first inputs (no copy of the whole
    /// description unless `body` makes one).
    static func withLeftmostSource<R>(_ plan: LogicalPlan, _ body: (SourceDescription) -> R) -> R? {
        var node = plan
        while true {
            if case .source(let source) = node.op { return body(source) }
            guard let first = node.inputs.first else { return nil }
            node = first
        }
    }

    static func leftmostSource(_ plan: LogicalPlan) -> SourceDescription? { withLeftmostSource(plan) { $0 } }

    private func planInsertSelect(_ insert: Statement.InsertSelect, span: SourceSpan) throws(PlanError) -> PlannedStatement {
        try SourceProperties.checkInsertProperties(insert.properties)
        let target = try catalog.source(insert.target)
        guard target.kind == .stream else {
            throw PlanError(.wrongObjectType, "INSERT INTO … SELECT writes to streams; \(target.name) is a table", at: insert.target.span)
        }
        guard !target.isReadOnly else {
            throw PlanError(.wrongObjectType, "\(target.name) was created with CREATE SOURCE and is read-only", at: insert.target.span)
        }
        var planner = QueryPlanner(catalog: catalog, mode: .push)
        let plan = try planner.plan(insert.query)
        guard plan.resultKind == .stream else {
            throw PlanError(.wrongObjectType, "the query produces a table; INSERT INTO needs a stream", at: span)
        }
        let produced = plan.schema.columns.filter { $0.role != .pseudo }
        let expected = target.schema.columns
        guard produced.map(\.name) == expected.map(\.name), produced.map(\.type) == expected.map(\.type) else {
            throw PlanError(.datatypeMismatch, "the query's columns \(Explain.columns(Schema(produced))) do not match \(target.name)'s \(Explain.columns(target.schema))", at: span)
        }
        return .insertSelect(target: target, plan: plan)
    }

    // MARK: - INSERT VALUES and DELETE

    /// The columns an INSERT … VALUES names, or without a list all but the headers, in order.
    private static func insertColumns(_ insert: Statement.InsertValues, _ target: SourceDescription) -> [Identifier] {
        guard insert.columns.isEmpty else { return insert.columns }
        return target.schema.columns.filter { $0.role != .header }.map { Identifier($0.name) }
    }

    /// The types of the `$n` parameters an INSERT … VALUES gives as whole values: their columns' types (ROWTIME's is
    /// BIGINT), as PostgreSQL infers them, so that drivers which encode by the described type (asyncpg) send them
    /// as numbers, not text. Parameters elsewhere, unknown targets or columns, and a parameter given to columns of
    /// different types (it stays text, which each column converts) are left out.
    public func insertParameterTypes(_ insert: Statement.InsertValues) -> [Int: DataType] {
        guard let target = try? catalog.source(insert.target) else { return [:] }
        let names = Self.insertColumns(insert, target)
        var types: [Int: DataType?] = [:]  // nil: columns of different types
        for row in insert.rows {
            for (value, name) in zip(row, names) {
                guard case .parameter(let n) = value.kind else { continue }
                let type: DataType
                if name.value == "ROWTIME" {
                    type = .bigint
                } else if let i = target.schema.index(of: name.value) {
                    type = target.schema[i].type
                } else {
                    continue
                }
                if let seen = types[n] { types[n] = seen == type ? seen : nil } else { types[n] = type }
            }
        }
        return types.compactMapValues { $0 }
    }

    private func planInsertValues(_ insert: Statement.InsertValues) throws(PlanError) -> PlannedStatement {
        let target = try catalog.source(insert.target)
        guard !target.isReadOnly else {
            throw PlanError(.wrongObjectType, "\(target.name) was created with CREATE SOURCE and is read-only", at: insert.target.span)
        }
        let names = Self.insertColumns(insert, target)
        var positions: [Int?] = []  // nil = ROWTIME
        for name in names {
            if name.value == "ROWTIME" {
                positions.append(nil)
                continue
            }
            guard let i = target.schema.index(of: name.value) else {
                throw PlanError(.undefinedColumn, "column \(name.value) does not exist in \(target.name)",
                                hint: PlanError.suggestion(for: name.value, among: target.schema.columns.map(\.name)), at: name.span)
            }
            positions.append(i)
        }
        var rows: [PlannedStatement.InsertRow] = []
        for values in insert.rows {
            guard values.count == names.count else {
                throw PlanError(.invalidParameter, "\(values.count) values for \(names.count) columns", at: values.first?.span ?? insert.target.span)
            }
            var row = PlannedStatement.InsertRow(values: target.schema.columns.map { ScalarExpression(.literal(.null), $0.type) }, rowtime: nil)
            var binder = ExpressionBinder(catalog: catalog, scope: Scope())
            binder.aggregatesForbiddenIn = "VALUES"
            for (valueExpr, position) in zip(values, positions) {
                let bound = try binder.bind(valueExpr)
                let type = position.map { target.schema[$0].type } ?? .bigint
                guard bound.isNullLiteral || bound.type == type || DataType.canWiden(from: bound.type, to: type) || Value.canCast(from: bound.type, to: type) && bound.type == .string else {
                    throw PlanError(.datatypeMismatch, "\(position.map { target.schema[$0].name } ?? "ROWTIME") is \(type), not \(bound.type)", at: valueExpr.span)
                }
                var coerced = binder.coerce(bound, to: type)
                if case .literal(let value) = bound.kind, bound.type != type, case .cast = coerced.kind {
                    // A literal that needs a real conversion (a string into a number or a time) is converted now,
                    // so that bad input is refused before anything is written.
                    do {
                        coerced = ScalarExpression(.literal(try Value.cast(value, from: bound.type, to: type)), type)
                    } catch {
                        throw PlanError(.invalidTextRepresentation, error.message, at: valueExpr.span)
                    }
                }
                if let position { row.values[position] = coerced } else { row.rowtime = coerced }
            }
            if target.kind == .table, let key = target.schema.indices(role: .key).first(where: { row.values[$0].isNullLiteral }) {
                throw PlanError(.invalidParameter, "table \(target.name) needs a value for its PRIMARY KEY \(target.schema[key].name)", at: insert.target.span)
            }
            rows.append(row)
        }
        return .insertValues(target: target, rows: rows)
    }

    private func planDelete(_ delete: Statement.Delete, span: SourceSpan) throws(PlanError) -> PlannedStatement {
        let target = try catalog.source(delete.target)
        guard target.kind == .table else {
            throw PlanError(.wrongObjectType, "DELETE removes keys from tables; \(target.name) is a stream (streams are append-only)", at: delete.target.span)
        }
        guard !target.isReadOnly else {
            throw PlanError(.wrongObjectType, "\(target.name) was created with CREATE SOURCE and is read-only", at: delete.target.span)
        }
        guard let condition = delete.whereClause else {
            throw PlanError(.invalidParameter, "DELETE needs a WHERE clause on the key (a full-table DELETE is refused)", at: span)
        }
        var binder = ExpressionBinder(catalog: catalog, scope: Scope.forSource(target, alias: nil))
        binder.aggregatesForbiddenIn = "WHERE"
        let predicate = try binder.bind(condition)
        guard predicate.type == .boolean else {
            throw PlanError(.datatypeMismatch, "a condition must be BOOLEAN, not \(predicate.type)", at: condition.span)
        }
        return .delete(target: target, predicate: predicate)
    }
}

extension Planner {
    /// Binds a standalone expression over a row of `columns` (tests, tools, and DEFAULT-like uses).
    public func bindExpression(_ expr: Expr, columns: [Column]) throws(PlanError) -> ScalarExpression {
        var binder = ExpressionBinder(catalog: catalog, scope: Scope.forSchema(Schema(columns), qualifier: nil))
        binder.aggregatesForbiddenIn = "a standalone expression"
        return try binder.bind(expr)
    }
}
