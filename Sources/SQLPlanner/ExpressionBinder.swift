import Relational
import Streams
import SQLSyntax

/// Binds parsed expressions against a scope: resolves names (with suggestions), types literals, checks operand
/// types and inserts implicit widening casts, resolves function overloads, and, inside an aggregation, turns
/// aggregate calls and GROUP BY expressions into references to the aggregation's output.
struct ExpressionBinder {
    let catalog: Catalog
    var scope: Scope
    /// Parameters of the enclosing lambdas, innermost last, with their types.
    var lambdaParameters: [(name: String, type: DataType)] = []
    var aggregation: AggregationContext?
    /// Where aggregates are refused, the clause name for the message (WHERE, GROUP BY, …).
    var aggregatesForbiddenIn: String?
    /// Whether `aggregatesForbiddenIn` names an aggregate whose arguments these are (the message is built only
    /// when it is needed).
    var aggregatesForbiddenInArguments = false
    /// Types of `$n` parameters, inferred from their first use.
    var parameterTypes: [Int: DataType] = [:]

    init(catalog: Catalog, scope: Scope) {
        self.catalog = catalog
        self.scope = scope
    }

    mutating func bind(_ expr: Expr) throws(PlanError) -> ScalarExpression {
        if aggregation != nil {
            // Read through the optional in place: copying the context per node would retain all its arrays.
            if let i = aggregation!.groupIndex(of: expr) {
                return ScalarExpression(.column(i), aggregation!.groupTypes[i])
            }
            if case .function(let call) = expr.kind, let description = catalog.functions[call.name.value] {
                guard description.kind == .aggregate else { return try bindCall(call, description, span: expr.span) }
                return try bindAggregate(call, description)
            }
        }
        switch expr.kind {
        case .literal(let literal): return try Self.bindLiteral(literal, span: expr.span)
        case .column(let qualifier, let name):
            do {
                return try bindColumn(qualifier, name)
            } catch {
                // SQL's niladic CURRENT_TIMESTAMP and CURRENT_DATE, unless a column has the name.
                guard qualifier == nil, name.value == "CURRENT_TIMESTAMP" || name.value == "CURRENT_DATE" else { throw error }
                let now = Expr(.function(FunctionCall(name: Identifier("NOW"), arguments: [])), span: name.span)
                return try bind(name.value == "CURRENT_DATE" ? Expr(.cast(now, TypeName(.date, span: name.span)), span: name.span) : now)
            }
        case .parameter(let n): return ScalarExpression(.parameter(n), parameterTypes[n] ?? .string)
        case .unary(let op, let operand): return try bindUnary(op, operand, span: expr.span)
        case .binary(let op, let lhs, let rhs): return try bindBinary(op, lhs, rhs, span: expr.span)
        case .isNull(let operand, let negated): return ScalarExpression(.isNull(try bind(operand), negated: negated), .boolean)
        case .isDistinctFrom(let lhs, let rhs, let negated):
            let (l, r) = try comparable(try bind(lhs), try bind(rhs), span: expr.span)
            return ScalarExpression(.isDistinctFrom(l, r, negated: negated), .boolean)
        case .between(let operand, let low, let high, let negated):
            let x = try bind(operand)
            let (x1, lo) = try comparable(x, try bind(low), span: expr.span)
            let (_, hi) = try comparable(x1, try bind(high), span: expr.span)
            return ScalarExpression(.between(x1, low: lo, high: hi, negated: negated), .boolean)
        case .inList(let operand, let list, let negated): return try bindIn(operand, list, negated: negated, span: expr.span)
        case .like(let operand, let pattern, let escape, let negated):
            let x = try expect(try bind(operand), .string, "LIKE", span: operand.span)
            let p = try expect(try bind(pattern), .string, "LIKE", span: pattern.span)
            if let escape, case .literal(.string(let text)) = escape.kind, text.count > 1 || text.utf8.count > 1 {
                // PostgreSQL's rule (an empty ESCAPE turns escaping off); the matcher takes one ASCII character.
                guard text.count > 1 else {
                    throw PlanError(.featureNotSupported, "a non-ASCII ESCAPE character is not supported", at: escape.span)
                }
                throw PlanError(.invalidEscapeSequence, "invalid escape string", hint: "escape string must be empty or one character",
                                at: escape.span)
            }
            let e = try escape.map { (e) throws(PlanError) in try expect(try bind(e), .string, "ESCAPE", span: e.span) }
            return ScalarExpression(.like(x, pattern: p, escape: e, negated: negated), .boolean)
        case .caseWhen(let operand, let whens, let elseResult): return try bindCase(operand, whens, elseResult, span: expr.span)
        case .cast(let operand, let typeName): return try bindCast(operand, typeName)
        case .dereference(let base, let field): return try bindField(base, field)
        case .subscript(let base, let index): return try bindSubscript(base, index, span: expr.span)
        case .function(let call): return try bindCall(call, nil, span: expr.span)
        case .lambda:
            throw PlanError(.featureNotSupported, "a lambda is allowed only as an argument of TRANSFORM, FILTER or REDUCE", at: expr.span)
        case .array(let items): return try bindArray(items, span: expr.span)
        case .map(let entries): return try bindMap(entries, span: expr.span)
        case .structure(let fields): return try bindStruct(fields)
        }
    }

    /// An aggregate call inside an aggregation: a reference to its result, binding its arguments against the
    /// aggregation's input the first time. This binder is switched to that scope for the duration, rather than a
    /// new binder made per aggregate.
    private mutating func bindAggregate(_ call: FunctionCall, _ description: FunctionDescription) throws(PlanError) -> ScalarExpression {
        var context = aggregation.take()!  // the only reference, so `append` mutates without copying; refuses nesting
        defer { aggregation = context }
        if let existing = context.reference(to: call) { return existing }
        let name = description.name
        if call.over != nil {
            throw PlanError(.featureNotSupported, "OVER is allowed only on window functions (ROW_NUMBER, LAG, LEAD)", at: call.name.span)
        }
        if call.star {
            guard name == "COUNT" else { throw PlanError(.invalidParameter, "only COUNT takes *", at: call.name.span) }
            return context.append(call, function: name, arguments: [], type: .bigint)
        }
        let saved = (scope, lambdaParameters, aggregatesForbiddenIn, aggregatesForbiddenInArguments)
        scope = context.inputScope
        lambdaParameters = []
        aggregatesForbiddenIn = name
        aggregatesForbiddenInArguments = true
        defer { (scope, lambdaParameters, aggregatesForbiddenIn, aggregatesForbiddenInArguments) = saved }
        let (arguments, resolution) = try resolveArguments(call, description: description)
        return context.append(call, function: name, arguments: arguments, type: resolution.returnType)
    }

    // MARK: - Leaves

    static func bindLiteral(_ literal: Literal, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        switch literal {
        case .null: return ScalarExpression(.literal(.null), .string)
        case .boolean(let b): return ScalarExpression(.literal(.boolean(b)), .boolean)
        case .string(let s): return ScalarExpression(.literal(.string(s)), .string)
        case .integer(let text):
            if let v = Int32(text) { return ScalarExpression(.literal(.int(v)), .int) }
            if let v = Int64(text) { return ScalarExpression(.literal(.bigint(v)), .bigint) }
            throw PlanError(.numericOutOfRange, "integer literal \(text) is out of range for BIGINT", at: span)
        case .double(let text):
            guard let v = Double(text), v.isFinite else { throw PlanError(.numericOutOfRange, "\(text) is out of range for DOUBLE", at: span) }
            return ScalarExpression(.literal(.double(v)), .double)
        case .decimal(let text):
            do {
                let value = try Value.cast(.string(text), from: .string, to: .decimal(precision: 38, scale: scale(of: text)))
                let digits = text.filter(\.isNumber).drop(while: { $0 == "0" }).count
                let s = scale(of: text)
                return ScalarExpression(.literal(value), .decimal(precision: max(digits, s, 1), scale: s))
            } catch {
                throw PlanError(.numericOutOfRange, "decimal literal \(text) is out of range: \(error.message)", at: span)
            }
        }
    }

    private static func scale(of text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: dot)...].count
    }

    private func bindColumn(_ qualifier: Identifier?, _ name: Identifier) throws(PlanError) -> ScalarExpression {
        if qualifier == nil, let i = lambdaParameters.lastIndex(where: { $0.name == name.value }) {
            return ScalarExpression(.lambdaVariable(i), lambdaParameters[i].type)
        }
        if let aggregation {
            // Inside an aggregation only GROUP BY expressions, window bounds and aggregates reach the input row.
            if qualifier == nil, let bound = aggregation.windowBound(name.value) { return bound }
            let entry = try aggregation.inputScope.resolve(qualifier: qualifier, name: name)
            throw PlanError(.groupingError, "column \(entry.name) must appear in the GROUP BY clause or be used in an aggregate function", at: name.span)
        }
        let entry = try scope.resolve(qualifier: qualifier, name: name)
        return ScalarExpression(.column(entry.index), entry.type)
    }

    // MARK: - Operators

    private mutating func bindUnary(_ op: Expr.UnaryOperator, _ operand: Expr, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        switch op {
        case .not:
            return ScalarExpression(.not(try expect(try bind(operand), .boolean, "NOT", span: span)), .boolean)
        case .plus, .minus:
            // Fold -<literal> so that Int32.min and Int64.min are expressible.
            if op == .minus, case .literal(.integer(let text)) = operand.kind {
                return try Self.bindLiteral(.integer("-" + text), span: span)
            }
            if op == .minus, case .literal(let literal) = operand.kind, case .double(let text) = literal {
                return try Self.bindLiteral(.double("-" + text), span: span)
            }
            if op == .minus, case .literal(.decimal(let text)) = operand.kind {
                return try Self.bindLiteral(.decimal("-" + text), span: span)
            }
            let x = try bind(operand)
            guard x.type.isNumeric || x.isNullLiteral else {
                throw PlanError(.datatypeMismatch, "unary \(op.rawValue) needs a number, not \(x.type)", at: span)
            }
            return op == .plus ? x : ScalarExpression(.negate(x), x.type)
        }
    }

    private mutating func bindBinary(_ op: Expr.BinaryOperator, _ lhs: Expr, _ rhs: Expr, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        var l = try bind(lhs)
        var r = try bind(rhs)
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            // `$1 + 1`: an untyped parameter in arithmetic with a number takes its type, as in PostgreSQL. Not a
            // DECIMAL's: its precision and scale would round or refuse the value (PostgreSQL's numeric has none).
            _ = inferParameter(&l, &r) { $0 == .int || $0 == .bigint || $0 == .double }
        default:
            break
        }
        switch op {
        case .and, .or:
            let a = try expect(l, .boolean, op.rawValue, span: lhs.span)
            let b = try expect(r, .boolean, op.rawValue, span: rhs.span)
            return ScalarExpression(op == .and ? .and(a, b) : .or(a, b), .boolean)
        case .equal, .notEqual, .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual:
            let (a, b) = try comparable(l, r, span: span)
            return ScalarExpression(.comparison(ComparisonOperator(rawValue: op.rawValue)!, a, b), .boolean)
        case .concat:
            return ScalarExpression(.concat(try expect(l, .string, "||", span: lhs.span), try expect(r, .string, "||", span: rhs.span)), .string)
        case .add, .subtract, .multiply, .divide, .modulo:
            if op == .add && (l.type == .string || r.type == .string) && !l.type.isNumeric && !r.type.isNumeric {
                return ScalarExpression(.concat(try expect(l, .string, "+", span: lhs.span), try expect(r, .string, "+", span: rhs.span)), .string)
            }
            let arithmetic = ArithmeticOperator(rawValue: op.rawValue)!
            let lt = l.isNullLiteral ? r.type : l.type
            let rt = r.isNullLiteral ? l.type : r.type
            guard let type = arithmetic.resultType(lt, rt) else {
                throw PlanError(.datatypeMismatch, "operator \(op.rawValue) is not defined for \(l.type) and \(r.type)", at: span)
            }
            let operandType = DataType.commonSuperType(lt, rt) ?? type
            return ScalarExpression(.arithmetic(arithmetic, coerce(l, to: operandType), coerce(r, to: operandType)), type)
        }
    }

    /// Types an untyped `$n` on one side by the other side's type, when `accepting` allows it; whether it did.
    private mutating func inferParameter(
        _ l: inout ScalarExpression, _ r: inout ScalarExpression, accepting: (DataType) -> Bool
    ) -> Bool {
        if case .parameter(let n) = l.kind, parameterTypes[n] == nil, !r.isParameter, accepting(r.type) {
            parameterTypes[n] = r.type
            l = ScalarExpression(.parameter(n), r.type)
            return true
        }
        if case .parameter(let n) = r.kind, parameterTypes[n] == nil, !l.isParameter, accepting(l.type) {
            parameterTypes[n] = l.type
            r = ScalarExpression(.parameter(n), l.type)
            return true
        }
        return false
    }

    /// Makes two operands comparable: the common super type, or a string literal parsed as the other side's
    /// temporal type (ksqlDB's `ROWTIME >= '2017-11-17T04:53:45'`).
    mutating func comparable(_ l: ScalarExpression, _ r: ScalarExpression, span: SourceSpan) throws(PlanError) -> (ScalarExpression, ScalarExpression) {
        // A `$n` parameter compared with something typed takes that type (PostgreSQL infers it the same way).
        var (l, r) = (l, r)
        if inferParameter(&l, &r, accepting: { _ in true }) { return (l, r) }
        if l.isNullLiteral { return (coerce(l, to: r.type), r) }
        if r.isNullLiteral { return (l, coerce(r, to: l.type)) }
        if l.type == r.type { return (l, r) }
        if let converted = try temporalLiteral(r, as: l.type, span: span) { return (l, converted) }
        if let converted = try temporalLiteral(l, as: r.type, span: span) { return (converted, r) }
        guard let common = DataType.commonSuperType(l.type, r.type) else {
            throw PlanError(.datatypeMismatch, "cannot compare \(l.type) with \(r.type)", hint: "use CAST to convert one side", at: span)
        }
        return (coerce(l, to: common), coerce(r, to: common))
    }

    private func temporalLiteral(_ e: ScalarExpression, as type: DataType, span: SourceSpan) throws(PlanError) -> ScalarExpression? {
        guard case .literal(.string(let text)) = e.kind else { return nil }
        let target: DataType
        switch type {
        case .timestamp, .date, .time: target = type
        case .bigint: target = .timestamp  // ROWTIME, WINDOWSTART, WINDOWEND are epoch milliseconds
        default: return nil
        }
        do {
            let value = try Value.cast(.string(text), from: .string, to: target)
            if type == .bigint, case .timestamp(let ms) = value { return ScalarExpression(.literal(.bigint(ms)), .bigint) }
            return ScalarExpression(.literal(value), target)
        } catch {
            throw PlanError(.datatypeMismatch, "'\(text)' is not a valid \(target): \(error.message)", at: span)
        }
    }

    /// Wraps `e` in a widening cast to `type` when needed (literal NULLs just take the type).
    func coerce(_ e: ScalarExpression, to type: DataType) -> ScalarExpression {
        if e.type == type { return e }
        if e.isNullLiteral { return ScalarExpression(.literal(.null), type) }
        // Fold widening of constants at plan time: `amount > 100` compares with the DOUBLE 100.0.
        if case .literal(let value) = e.kind, let folded = try? Value.cast(value, from: e.type, to: type) {
            return ScalarExpression(.literal(folded), type)
        }
        return ScalarExpression(.cast(e), type)
    }

    private func expect(_ e: ScalarExpression, _ type: DataType, _ what: String, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        if e.type == type || e.isNullLiteral { return coerce(e, to: type) }
        if DataType.canWiden(from: e.type, to: type) { return coerce(e, to: type) }
        throw PlanError(.datatypeMismatch, "\(what) needs \(type), not \(e.type)", at: span)
    }

    private mutating func bindIn(_ operand: Expr, _ list: [Expr], negated: Bool, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        var x = try bind(operand)
        var items: [ScalarExpression] = []
        for item in list {
            let (a, b) = try comparable(x, try bind(item), span: item.span)
            x = a
            items.append(b)
        }
        items = items.map { coerce($0, to: x.type) }
        return ScalarExpression(.inList(x, items, negated: negated), .boolean)
    }

    private mutating func bindCase(_ operand: Expr?, _ whens: [Expr.WhenClause], _ elseResult: Expr?, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        let subject = try operand.map { (e) throws(PlanError) in try bind(e) }
        var arms: [ScalarExpression.When] = []
        var resultType: DataType?
        for when in whens {
            var condition = try bind(when.condition)
            if let subject {
                condition = try { () throws(PlanError) -> ScalarExpression in
                    let (a, b) = try comparable(subject, condition, span: when.condition.span)
                    return ScalarExpression(.comparison(.equal, a, b), .boolean)
                }()
            } else {
                condition = try expect(condition, .boolean, "WHEN", span: when.condition.span)
            }
            let result = try bind(when.result)
            resultType = try unify(resultType, result, span: when.result.span)
            arms.append(.init(condition: condition, result: result))
        }
        let otherwise = try elseResult.map { (e) throws(PlanError) in try bind(e) }
        if let otherwise { resultType = try unify(resultType, otherwise, span: elseResult!.span) }
        let type = resultType ?? .string
        arms = arms.map { .init(condition: $0.condition, result: coerce($0.result, to: type)) }
        return ScalarExpression(.caseWhen(operand: nil, whens: arms, elseResult: otherwise.map { coerce($0, to: type) }), type)
    }

    private func unify(_ current: DataType?, _ e: ScalarExpression, span: SourceSpan) throws(PlanError) -> DataType? {
        if e.isNullLiteral { return current }
        guard let current else { return e.type }
        guard let common = DataType.commonSuperType(current, e.type) else {
            throw PlanError(.datatypeMismatch, "CASE branches mix \(current) and \(e.type)", at: span)
        }
        return common
    }

    private mutating func bindCast(_ operand: Expr, _ typeName: TypeName) throws(PlanError) -> ScalarExpression {
        if case .boundedVarchar(let length) = typeName.kind {
            // PostgreSQL's explicit cast to VARCHAR(n) keeps the first n characters: SUBSTRING(CAST(x AS STRING), 1, n).
            let text = Expr(.cast(operand, TypeName(.varchar, span: typeName.span)), span: operand.span)
            let bound = try bind(text)
            if bound.isNullLiteral { return bound }
            let cut = FunctionCall(name: Identifier("SUBSTRING"), arguments: [
                text, Expr(.literal(.integer("1")), span: typeName.span), Expr(.literal(.integer(String(length))), span: typeName.span),
            ])
            return try bind(Expr(.function(cut), span: typeName.span))
        }
        let target: DataType
        do {
            target = try catalog.resolve(typeName)
        } catch {
            // PostgreSQL's type names, in casts only and when no CREATE TYPE has the name.
            guard case .named(let name) = typeName.kind, let synonym = Catalog.postgresType(name.value, inCast: true) else { throw error }
            target = synonym
        }
        // `$1::int`, CAST($1 AS INT): the parameter takes the cast's type, as in PostgreSQL.
        if case .parameter(let n) = operand.kind, parameterTypes[n] == nil { parameterTypes[n] = target }
        let x = try bind(operand)
        if x.isNullLiteral { return ScalarExpression(.literal(.null), target) }
        guard Value.canCast(from: x.type, to: target) else {
            throw PlanError(.datatypeMismatch, "cannot cast \(x.type) to \(target)", at: typeName.span)
        }
        return x.type == target ? x : ScalarExpression(.cast(x), target)
    }

    private mutating func bindField(_ base: Expr, _ field: Identifier) throws(PlanError) -> ScalarExpression {
        let x = try bind(base)
        guard case .struct(let fields) = x.type else {
            throw PlanError(.datatypeMismatch, "-> needs a STRUCT, not \(x.type)", at: field.span)
        }
        guard let i = fields.firstIndex(where: { $0.name == field.value }) else {
            throw PlanError(.undefinedColumn, "STRUCT has no field \(field.value)",
                            hint: PlanError.suggestion(for: field.value, among: fields.map(\.name)), at: field.span)
        }
        return ScalarExpression(.field(x, index: i), fields[i].type)
    }

    private mutating func bindSubscript(_ base: Expr, _ index: Expr, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        let x = try bind(base)
        let i = try bind(index)
        switch x.type {
        case .array(let element):
            return ScalarExpression(.subscript(x, index: try expect(i, .int, "an array index", span: index.span)), element)
        case .map(let key, let value):
            return ScalarExpression(.subscript(x, index: try expect(i, key, "a map key", span: index.span)), value)
        default:
            throw PlanError(.datatypeMismatch, "[] needs an ARRAY or a MAP, not \(x.type)", at: span)
        }
    }

    private mutating func bindArray(_ items: [Expr], span: SourceSpan) throws(PlanError) -> ScalarExpression {
        var bound: [ScalarExpression] = []
        var element: DataType?
        for item in items {
            let b = try bind(item)
            element = try unify(element, b, span: item.span)
            bound.append(b)
        }
        let type = element ?? .string
        return ScalarExpression(.array(bound.map { coerce($0, to: type) }), .array(type))
    }

    private mutating func bindMap(_ entries: [Expr.MapEntry], span: SourceSpan) throws(PlanError) -> ScalarExpression {
        var bound: [ScalarExpression] = []
        var valueType: DataType?
        for entry in entries {
            bound.append(try expect(try bind(entry.key), .string, "a MAP key", span: entry.key.span))
            let v = try bind(entry.value)
            valueType = try unify(valueType, v, span: entry.value.span)
            bound.append(v)
        }
        let type = valueType ?? .string
        let coerced = bound.enumerated().map { $0.offset % 2 == 1 ? coerce($0.element, to: type) : $0.element }
        return ScalarExpression(.map(coerced), .map(key: .string, value: type))
    }

    private mutating func bindStruct(_ fields: [Expr.StructField]) throws(PlanError) -> ScalarExpression {
        var values: [ScalarExpression] = []
        var types: [DataType.StructField] = []
        for field in fields {
            let v = try bind(field.value)
            values.append(v)
            types.append(.init(field.name.value, v.type))
        }
        return ScalarExpression(.structure(values), .struct(types))
    }

    // MARK: - Calls

    /// A scalar call; `known` is the function's description when the caller has looked it up already.
    private mutating func bindCall(_ call: FunctionCall, _ known: FunctionDescription?, span: SourceSpan) throws(PlanError) -> ScalarExpression {
        let name = call.name.value.upperCasedIfNeeded
        guard let description = known ?? catalog.functions[name] else {
            _ = try catalog.functions.resolve(call.name, arguments: [])  // throws undefinedFunction with a hint
            preconditionFailure("resolve must throw for an unknown function")
        }
        switch description.kind {
        case .aggregate:
            let context = aggregatesForbiddenIn.map { aggregatesForbiddenInArguments ? "the arguments of \($0)" : $0 } ?? "this context"
            throw PlanError(.groupingError, "aggregate function \(name) is not allowed in \(context)", at: span)
        case .table:
            throw PlanError(.featureNotSupported, "table function \(name) is allowed only as a SELECT item", at: span)
        case .window:
            throw PlanError(.featureNotSupported, "window function \(name)(…) OVER (…) is parsed but not executed yet", at: span)
        case .scalar:
            break
        }
        if call.over != nil {
            throw PlanError(.featureNotSupported, "OVER is allowed only on window functions (ROW_NUMBER, LAG, LEAD)", at: span)
        }
        let (arguments, resolution) = try resolveArguments(call, description: description)
        return ScalarExpression(.call(name, arguments), resolution.returnType)
    }

    /// Binds a call's arguments and picks the overload. Lambda bodies are bound once their parameter types are known.
    /// The argument shapes live in a stack buffer: a statement resolves dozens of calls.
    mutating func resolveArguments(_ call: FunctionCall, description: FunctionDescription) throws(PlanError) -> ([ScalarExpression], FunctionRegistry.Resolution) {
        let count = call.arguments.count
        var arguments: [ScalarExpression] = []
        arguments.reserveCapacity(count)
        let needsUnit = description.takesTimeUnit
        let resolution = try withUnsafeTemporaryAllocation(of: ArgumentShape.self, capacity: max(count, 1)) { (shapes) throws(PlanError) in
            var initialized = 0
            defer { shapes.baseAddress!.deinitialize(count: initialized) }
            for (i, argument) in call.arguments.enumerated() {
                if i == 0, needsUnit, case .column(nil, let unit) = argument.kind {
                    arguments.append(ScalarExpression(.timeUnit(unit.value), .string))
                    shapes.initializeElement(at: i, to: .timeUnit)
                } else if case .lambda(let parameters, _) = argument.kind {
                    arguments.append(ScalarExpression(.literal(.null), .string))  // bound below, once types are known
                    let binder = self
                    let body = argument
                    shapes.initializeElement(at: i, to: .lambda(parameterCount: parameters.count) { types in
                        var inner = binder
                        return try inner.bindLambdaBody(body, types: types).type
                    })
                } else {
                    let b = try bind(argument)
                    arguments.append(b)
                    shapes.initializeElement(at: i, to: .value(b.isNullLiteral ? nil : b.type))
                }
                initialized += 1
            }
            return try catalog.functions.resolve(description, arguments: UnsafeBufferPointer(rebasing: shapes[..<count]), at: call.name.span)
        }
        for (i, argument) in call.arguments.enumerated() {
            if case .lambda = argument.kind {
                let types = lambdaTypes(resolution.signature, index: i, arguments: arguments)
                arguments[i] = try bindLambdaBody(argument, types: types)
            } else if case .timeUnit = arguments[i].kind {
                continue
            } else if let type = resolution.argumentTypes[i] {
                arguments[i] = coerce(arguments[i], to: type)
            }
        }
        return (arguments, resolution)
    }

    /// Parameter types of the lambda at `index`, from the already bound collection argument (and, for REDUCE, the
    /// initial state): an exact parameter type (a map's STRING key) as declared, T the element or map value type.
    private func lambdaTypes(_ signature: FunctionSignature, index: Int, arguments: [ScalarExpression]) -> [DataType] {
        guard case .lambda(let parameters, _) = signature.parameters[index] else { return [] }
        var element: DataType = .string
        if case .array(let e) = arguments.first?.type { element = e }
        if case .map(_, let v) = arguments.first?.type { element = v }
        return parameters.map { p in
            switch p {
            case .exact(let type): return type
            case .generic("U") where arguments.count > 1: return arguments[1].type
            default: return element
            }
        }
    }

    private mutating func bindLambdaBody(_ lambda: Expr, types: [DataType]) throws(PlanError) -> ScalarExpression {
        guard case .lambda(let parameters, let body) = lambda.kind else { return try bind(lambda) }
        guard parameters.count == types.count else {
            throw PlanError(.invalidParameter, "the lambda takes \(parameters.count) parameters; \(types.count) expected", at: lambda.span)
        }
        let saved = lambdaParameters
        lambdaParameters += zip(parameters, types).map { ($0.value, $1) }
        defer { lambdaParameters = saved }
        let b = try bind(body)
        return ScalarExpression(.lambda(parameterCount: parameters.count, body: b), b.type)
    }
}

extension ScalarExpression {
    var isParameter: Bool {
        if case .parameter = kind { return true }
        return false
    }
}
