import PGWire
import Relational
import SQLEngine
import SQLPlanner
import SQLSyntax
import Streams

/// What a PostgreSQL session answers itself, before Sluice's SQL: transactions (accepted; Sluice's statements take
/// effect at once), `SET x TO y` / `RESET` / `SHOW x` of session settings, constant SELECTs (`SELECT 1`,
/// `version()`, `current_database()`, …), and `COPY (query) TO STDOUT`.
enum SessionStatements {
    static func answer(_ text: String, session: EngineSession) throws -> PGQueryResult? {
        let words = text.split(whereSeparator: \.isWhitespace).map { $0.uppercased() }
        guard let first = words.first else { return .emptyQuery }
        switch first {
        case "BEGIN", "START":
            session.setTransaction(.inTransaction)
            return .command(tag: "BEGIN")
        case "COMMIT", "END":
            session.setTransaction(.idle)
            return .command(tag: "COMMIT")
        case "ROLLBACK", "ABORT":
            session.setTransaction(.idle)
            return .command(tag: "ROLLBACK")
        case "DISCARD", "DEALLOCATE":
            return .command(tag: first)
        case "SET" where words.count >= 2 && !text.drop(while: { $0 != " " }).trimmingPrefix(while: { $0 == " " }).hasPrefix("'"):
            return try set(text, session: session)
        case "RESET":
            if words.count >= 2 {
                let name = words[1].trimmingCharacters(";").lowercased()
                if EngineSession.isEngineProperty(name) {
                    session.setProperty(name, nil)
                } else {
                    session.reset(name == "all" ? nil : name)
                    if name == "all" { session.resetProperties() }
                }
            }
            return .command(tag: "RESET")
        case "SHOW" where words.count == 2 && !sluiceShow.contains(words[1].trimmingCharacters(";")):
            let name = words[1].trimmingCharacters(";").lowercased()
            let value = EngineSession.isEngineProperty(name) ? session.property(name) : session.setting(name) ?? defaults[name]
            guard let value else {
                throw PGError("42704", "unrecognized configuration parameter \"\(name)\"")
            }
            return .rows(RowList(ResultSet(columns: [Column(name.uppercased(), .string)], rows: [[.string(value)]])))
        case "SELECT":
            // `SELECT ${n} + 1`: DEFINE's variables apply here as to the engine's statements; an undefined one is
            // left to the engine, which reports it with its position.
            guard let substitution = try? VariableSubstitution.substituteTracking(text, variables: session.variables),
                let statement = try? Parser.parseStatement(substitution.text), case .query(let query) = statement.kind,
                isConstantSelect(query)
            else { return nil }
            do {
                return .rows(RowList(try constantSelectResult(query, session: session)))
            } catch let error as PlanError {
                // With the position of what it is about (1-based characters in what the user wrote), as the engine
                // reports its errors.
                let position = error.span.length == 0
                    ? nil : EngineErrorPosition.characters(in: text, upToByte: substitution.originalOffset(error.span.start.offset)) + 1
                throw PGError(error.sqlState, error.message, hint: error.hint, position: position)
            }
        default:
            return nil
        }
    }

    /// `sql` parsed after DEFINE's `${name}` substitution, as the engine parses its statements; nil when either
    /// fails (the engine then reports the error).
    private static func parse(_ sql: String, session: EngineSession) -> Statement? {
        (try? VariableSubstitution.substitute(sql, variables: session.variables)).flatMap { try? Parser.parseStatement($0) }
    }

    static let sluiceShow: Set<String> = ["STREAMS", "TABLES", "TOPICS", "QUERIES", "PROPERTIES", "FUNCTIONS", "TYPES", "VARIABLES", "ALL"]
    static let defaults = ["transaction_isolation": "read committed", "search_path": "public", "max_identifier_length": "63",
                           "default_transaction_isolation": "read committed", "lc_collate": "C", "server_encoding": "UTF8"]

    private static func set(_ text: String, session: EngineSession) throws -> PGQueryResult {
        // SET [SESSION|LOCAL] name { TO | = } value
        var rest = text.drop(while: { !$0.isWhitespace }).trimmingPrefix(while: \.isWhitespace)
        for scope in ["SESSION ", "LOCAL "] where rest.uppercased().hasPrefix(scope) { rest = rest.dropFirst(scope.count) }
        guard let split = rest.firstRange(of: "=") ?? rest.firstRange(of: " TO ") ?? rest.firstRange(of: " to ") else {
            throw PGError(SQLState.syntaxError, "SET needs name TO value or name = value")
        }
        let name = rest[..<split.lowerBound].trimmingCharacters(" ").lowercased()
        var value = rest[split.upperBound...].trimmingCharacters(" ").trimmingCharacters(";")
        if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if EngineSession.isEngineProperty(name) {
            if session.engine.serverProperties.contains(where: { $0.name == name }) {
                throw PGError("55P02", "parameter \"\(name)\" cannot be changed without restarting the server")
            }
            session.setProperty(name, value)
        } else {
            session.set(name, value)
        }
        return .command(tag: "SET")
    }

    /// A SELECT without FROM (and without EMIT): answered here, one row (none when WHERE, HAVING, LIMIT or
    /// OFFSET rule it out).
    static func isConstantSelect(_ query: SQLSyntax.Query) -> Bool {
        guard case .select(let select) = query.body, select.from == nil, query.emit == nil else { return false }
        return true
    }

    /// The types the `$n` of a SELECT without FROM take from where they are used (`$1::int`), for
    /// ParameterDescription; empty for other statements.
    static func constantSelectParameterTypes(_ sql: String, session: EngineSession) -> [Int: DataType] {
        guard let bound = bindConstantSelect(sql, session: session) else { return [:] }
        var types: [Int: DataType] = [:]
        for e in (bound.items + bound.conditions).compactMap({ $0 }) { e.collectParameterTypes(into: &types) }
        return types
    }

    /// The result columns of a SELECT without FROM that has `$n` parameters, typed by binding it as written (a
    /// description with the parameters replaced by NULL would lose `$1::int8 * 2`'s type); nil when an item does
    /// not bind (the session functions, which the NULL description handles).
    static func constantSelectColumns(_ sql: String, session: EngineSession) -> [PGColumn]? {
        guard let statement = parse(sql, session: session), case .query(let query) = statement.kind,
            let columns = boundColumns(query, session: session, unboundAsText: false)
        else { return nil }
        return columns.map { PGColumn(name: $0.name, type: PGValueMapping.type(of: $0.type)) }
    }

    /// A constant SELECT's column names and types from binding its items; an item that does not bind is nil, or
    /// text with `unboundAsText`.
    private static func boundColumns(
        _ query: SQLSyntax.Query, session: EngineSession, unboundAsText: Bool
    ) -> [(name: String, type: DataType)]? {
        guard case .select(let select) = query.body, let bound = bindConstantSelect(query, session: session) else { return nil }
        var columns: [(name: String, type: DataType)] = []
        for (item, e) in zip(select.items, bound.items) {
            guard case .expression(_, let alias) = item, let type = e?.type ?? (unboundAsText ? .string : nil) else { return nil }
            columns.append((alias.map { PGValueMapping.postgresName($0.value) } ?? "?column?", type))
        }
        return columns
    }

    /// A SELECT without FROM, parsed, with each select item and WHERE/HAVING condition bound (nil where binding
    /// fails).
    private static func bindConstantSelect(
        _ sql: String, session: EngineSession
    ) -> (query: SQLSyntax.Query, items: [ScalarExpression?], conditions: [ScalarExpression?])? {
        guard let statement = parse(sql, session: session), case .query(let query) = statement.kind else { return nil }
        return bindConstantSelect(query, session: session)
    }

    private static func bindConstantSelect(
        _ query: SQLSyntax.Query, session: EngineSession
    ) -> (query: SQLSyntax.Query, items: [ScalarExpression?], conditions: [ScalarExpression?])? {
        guard isConstantSelect(query), case .select(let select) = query.body else { return nil }
        let planner = Planner(catalog: session.engine.currentCatalog)
        func bind(_ e: Expr?) -> ScalarExpression? { e.flatMap { try? planner.bindExpression($0, columns: []) } }
        let items = select.items.map { item -> ScalarExpression? in
            if case .expression(let e, _) = item { return bind(e) }
            return nil
        }
        return (query, items, [bind(select.whereClause), bind(select.having)])
    }

    static func constantSelectResult(_ query: SQLSyntax.Query, session: EngineSession) throws -> ResultSet {
        // WHERE first, as in PostgreSQL: `SELECT 1/0 WHERE false` has no row and no error. Without a row the
        // columns still need their types: from evaluating when that works, else from binding.
        guard try constantSelectKeepsRow(query, session: session) else {
            if let (columns, _, types) = try? constantSelectTyped(query, session: session) {
                return ResultSet(columns: zip(columns, types).map { Column($0.name, $1) }, rows: [])
            }
            let columns = boundColumns(query, session: session, unboundAsText: true) ?? []
            return ResultSet(columns: columns.map { Column($0.name, $0.type) }, rows: [])
        }
        let (columns, values, types) = try constantSelectTyped(query, session: session)
        return ResultSet(columns: zip(columns, types).map { Column($0.name, $1) }, rows: [values])
    }

    /// Whether the one row of a SELECT without FROM is returned: WHERE and HAVING must be true (NULL is not), as
    /// in PostgreSQL (`SELECT 1 WHERE false` has no row), and LIMIT 0 or an OFFSET past it leaves none.
    private static func constantSelectKeepsRow(_ query: SQLSyntax.Query, session: EngineSession) throws -> Bool {
        guard case .select(let select) = query.body else { return true }
        if !select.groupBy.isEmpty || !select.partitionBy.isEmpty || select.window != nil {
            throw PGError(SQLState.featureNotSupported, "GROUP BY, PARTITION BY and WINDOW need a FROM clause")
        }
        for (clause, condition) in [("WHERE", select.whereClause), ("HAVING", select.having)] {
            guard let condition else { continue }
            let (value, type, _) = try evaluate(condition, session: session)
            guard type == .boolean || value == .null else {
                throw PGError(SQLState.datatypeMismatch, "argument of \(clause) must be type boolean, not type \(type)")
            }
            if value != .boolean(true) { return false }
        }
        if let limit = query.limit, limit < 1 { return false }
        if let offset = query.offset, offset >= 1 { return false }
        return true
    }

    static func constantSelect(_ query: SQLSyntax.Query, session: EngineSession) throws -> (columns: [PGColumn], values: [Value]) {
        let (columns, values, _) = try constantSelectTyped(query, session: session)
        return (columns, values)
    }

    static func constantSelectTyped(_ query: SQLSyntax.Query, session: EngineSession) throws -> ([PGColumn], [Value], [DataType]) {
        guard case .select(let select) = query.body else { return ([], [], []) }
        var columns: [PGColumn] = []
        var values: [Value] = []
        var types: [DataType] = []
        for item in select.items {
            guard case .expression(let expr, let alias) = item else {
                throw PGError(SQLState.syntaxError, "SELECT * needs a FROM clause")
            }
            let (value, type, name) = try evaluate(expr, session: session)
            columns.append(PGColumn(name: alias.map { PGValueMapping.postgresName($0.value) } ?? name ?? "?column?", type: PGValueMapping.type(of: type)))
            values.append(value)
            types.append(type)
        }
        return (columns, values, types)
    }

    private static func evaluate(_ expr: Expr, session: EngineSession) throws -> (Value, DataType, String?) {
        if case .function(let call) = expr.kind, call.arguments.isEmpty {
            let name = call.name.value.lowercased()
            switch name {
            case "version": return (.string("PostgreSQL \(EngineSession.serverVersion) (Sluice \(SluiceServer.version))"), .string, name)
            case "current_database": return (.string("sluice"), .string, name)
            case "current_schema": return (.string("public"), .string, name)
            case "current_user", "session_user", "user": return (.string(session.setting("user") ?? "sluice"), .string, name)
            case "pg_backend_pid": return (.int(1), .int, name)
            default: break
            }
        }
        if case .column(nil, let name) = expr.kind, ["CURRENT_USER", "SESSION_USER", "CURRENT_SCHEMA", "CURRENT_DATABASE"].contains(name.value) {
            return try evaluate(Expr(.function(FunctionCall(name: Identifier(name.value), arguments: []))), session: session)
        }
        do {
            let bound = try Planner(catalog: session.engine.currentCatalog).bindExpression(expr, columns: [])
            let compiled = try CompiledExpression.compile(bound, columnCount: 0, functions: session.engine.functions)
            var context = EvaluationContext()
            let value = compiled.evaluate(EvaluationInput(columns: [], count: 1), context: &context)[0]
            if let error = context.errors.first?.value { throw PGError(error.sqlState, error.message) }
            return (value, bound.type, nil)
        } catch let error as EvaluationError {
            throw PGError(error.sqlState, error.message)
        }
    }

    /// `COPY (query) TO STDOUT`: the inner query and where it starts in the statement.
    static func copyToStdout(_ text: String) -> (query: String, offset: Int)? {
        let trimmed = text.trimmingPrefix(while: \.isWhitespace)
        guard trimmed.uppercased().hasPrefix("COPY"), let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")") else {
            return nil
        }
        let tail = trimmed[trimmed.index(after: close)...].uppercased().split(whereSeparator: \.isWhitespace)
        guard tail.count >= 2, tail[0] == "TO", tail[1].hasPrefix("STDOUT") else { return nil }
        let inner = trimmed[trimmed.index(after: open)..<close]
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: inner.startIndex.samePosition(in: text.utf8) ?? text.utf8.startIndex)
        return (String(inner), offset)
    }
}

extension StringProtocol {
    func trimmingCharacters(_ c: Character) -> String {
        String(drop(while: { $0 == c }).reversed().drop(while: { $0 == c }).reversed())
    }
}
