import Relational

/// Builds the kernels of a `CompiledExpression`. Lambda variables are extra columns after the input's
/// `columnCount` columns: a lambda call flattens the collection elements of all rows into one batch, appends the
/// variables as columns, and evaluates the body once over it.
struct ExpressionCompiler {
    typealias Kernel = CompiledExpression.Kernel

    let columnCount: Int
    let functions: ScalarFunctionLibrary
    /// Lambda parameters bound so far (outermost first); variable i is column `columnCount + i`.
    var lambdaDepth = 0

    init(columnCount: Int, functions: ScalarFunctionLibrary) {
        self.columnCount = columnCount
        self.functions = functions
    }

    mutating func compile(_ e: ScalarExpression) throws(EvaluationError) -> Kernel {
        switch e.kind {
        case .literal(let value):
            return { input, _ in Array(repeating: value, count: input.count) }
        case .column(let index):
            return { input, _ in input.columns[index] }
        case .lambdaVariable(let index):
            let column = columnCount + index
            return { input, _ in input.columns[column] }
        case .parameter(let n):
            return { input, context in Array(repeating: n - 1 < context.parameters.count ? context.parameters[n - 1] : .null, count: input.count) }
        case .not(let x):
            let k = try compile(x)
            return { input, context in k(input, &context).map { v in ThreeValuedLogic.not(v.boolValue).map(Value.boolean) ?? .null } }
        case .negate(let x):
            let k = try compile(x)
            let type = e.type
            return Self.rowwise1(k) { v throws(EvaluationError) in
                try Self.arithmetic(.subtract, Self.zero(of: type), v, type)
            }
        case .arithmetic(let op, let l, let r):
            let type = e.type
            if type == .bigint { return Self.bigintArithmetic(op, try compile(l), try compile(r)) }
            return Self.rowwise2(try compile(l), try compile(r)) { a, b throws(EvaluationError) in try Self.arithmetic(op, a, b, type) }
        case .comparison(let op, let l, let r):
            if l.type == .bigint && r.type == .bigint { return Self.bigintComparison(op, try compile(l), try compile(r)) }
            return Self.rowwise2(try compile(l), try compile(r)) { a, b in Self.compare(op, a, b) }
        case .and(let l, let r):
            return Self.rowwise2(try compile(l), try compile(r)) { a, b in ThreeValuedLogic.and(a.boolValue, b.boolValue).map(Value.boolean) ?? .null }
        case .or(let l, let r):
            return Self.rowwise2(try compile(l), try compile(r)) { a, b in ThreeValuedLogic.or(a.boolValue, b.boolValue).map(Value.boolean) ?? .null }
        case .concat(let l, let r):
            return Self.rowwise2(try compile(l), try compile(r)) { a, b in
                guard case .string(let x) = a, case .string(let y) = b else { return .null }
                return .string(x + y)
            }
        case .isNull(let x, let negated):
            let k = try compile(x)
            return { input, context in k(input, &context).map { .boolean($0.isNull != negated) } }
        case .isDistinctFrom(let l, let r, let negated):
            return Self.rowwise2(try compile(l), try compile(r)) { a, b in .boolean(Value.isNotDistinct(a, b) == negated) }
        case .between(let x, let low, let high, let negated):
            return try compileBetween(x, low, high, negated)
        case .inList(let x, let items, let negated):
            return try compileIn(x, items, negated)
        case .like(let x, let pattern, let escape, let negated):
            return try compileLike(x, pattern, escape, negated)
        case .caseWhen(_, let whens, let elseResult):
            return try compileCase(whens, elseResult, type: e.type)
        case .cast(let x):
            let from = x.type
            let to = e.type
            return Self.rowwise1(try compile(x)) { v throws(EvaluationError) in
                do throws(RelationalError) {
                    return try Value.cast(v, from: from, to: to)
                } catch {
                    throw EvaluationError(error.sqlState, error.message)
                }
            }
        case .field(let x, let index):
            return Self.rowwise1(try compile(x)) { v in
                guard case .struct(let fields) = v, index < fields.count else { return .null }
                return fields[index]
            }
        case .subscript(let x, let index):
            return Self.rowwise2(try compile(x), try compile(index)) { container, i in Self.subscriptValue(container, i) }
        case .call(let name, let arguments):
            return try compileCall(name, arguments, type: e.type)
        case .lambda(_, let body):
            // A lambda outside TRANSFORM/FILTER/REDUCE is refused by the binder.
            return try compile(body)
        case .timeUnit(let unit):
            return { input, _ in Array(repeating: .string(unit), count: input.count) }
        case .array(let items):
            let kernels = try items.map { (x) throws(EvaluationError) in try compile(x) }
            return { input, context in
                let columns = kernels.map { $0(input, &context) }
                return (0..<input.count).map { row in .array(columns.map { $0[row] }) }
            }
        case .map(let items):
            let kernels = try items.map { (x) throws(EvaluationError) in try compile(x) }
            return { input, context in
                let columns = kernels.map { $0(input, &context) }
                return (0..<input.count).map { row in
                    .map(stride(from: 0, to: columns.count - 1, by: 2).map { Value.MapEntry(columns[$0][row], columns[$0 + 1][row]) })
                }
            }
        case .structure(let items):
            let kernels = try items.map { (x) throws(EvaluationError) in try compile(x) }
            return { input, context in
                let columns = kernels.map { $0(input, &context) }
                return (0..<input.count).map { row in .struct(columns.map { $0[row] }) }
            }
        case .aggregateResult(let index):
            return { input, _ in input.columns[index] }
        }
    }

    // MARK: - Row-wise helpers

    /// Applies `f` to each row's value; an error makes that row NULL and is recorded.
    static func rowwise1(_ k: @escaping Kernel, _ f: @escaping @Sendable (Value) throws(EvaluationError) -> Value) -> Kernel {
        { input, context in
            let values = k(input, &context)
            var out: [Value] = []
            out.reserveCapacity(values.count)
            for (row, v) in values.enumerated() {
                do throws(EvaluationError) { out.append(try f(v)) } catch {
                    context.record(error, row: row)
                    out.append(.null)
                }
            }
            return out
        }
    }

    static func rowwise2(_ k1: @escaping Kernel, _ k2: @escaping Kernel, _ f: @escaping @Sendable (Value, Value) throws(EvaluationError) -> Value) -> Kernel {
        { input, context in
            let a = k1(input, &context)
            let b = k2(input, &context)
            var out: [Value] = []
            out.reserveCapacity(a.count)
            for row in 0..<a.count {
                do throws(EvaluationError) { out.append(try f(a[row], b[row])) } catch {
                    context.record(error, row: row)
                    out.append(.null)
                }
            }
            return out
        }
    }

    /// BIGINT arithmetic: two BIGINTs that neither overflow nor divide by zero are computed inline; every other row
    /// (NULL, another case, an error) takes the general path, so results and errors are the same.
    static func bigintArithmetic(_ op: ArithmeticOperator, _ k1: @escaping Kernel, _ k2: @escaping Kernel) -> Kernel {
        rowwise2(k1, k2) { a, b throws(EvaluationError) in
            if case .bigint(let x) = a, case .bigint(let y) = b {
                let result: (partialValue: Int64, overflow: Bool)
                switch op {
                case .add: result = x.addingReportingOverflow(y)
                case .subtract: result = x.subtractingReportingOverflow(y)
                case .multiply: result = x.multipliedReportingOverflow(by: y)
                case .divide: result = y == 0 ? (0, true) : x.dividedReportingOverflow(by: y)
                case .modulo: result = y == 0 ? (0, true) : x.remainderReportingOverflow(dividingBy: y)
                }
                if !result.overflow { return .bigint(result.partialValue) }
            }
            return try arithmetic(op, a, b, .bigint)
        }
    }

    /// BIGINT comparison: two BIGINTs compared inline, anything else (NULL) by `compare`.
    static func bigintComparison(_ op: ComparisonOperator, _ k1: @escaping Kernel, _ k2: @escaping Kernel) -> Kernel {
        rowwise2(k1, k2) { a, b in
            guard case .bigint(let x) = a, case .bigint(let y) = b else { return compare(op, a, b) }
            switch op {
            case .equal: return .boolean(x == y)
            case .notEqual: return .boolean(x != y)
            case .lessThan: return .boolean(x < y)
            case .lessThanOrEqual: return .boolean(x <= y)
            case .greaterThan: return .boolean(x > y)
            case .greaterThanOrEqual: return .boolean(x >= y)
            }
        }
    }

    static func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, _ type: DataType) throws(EvaluationError) -> Value {
        if a.isNull || b.isNull { return .null }
        do throws(RelationalError) {
            return try Value.arithmetic(op, a, b, resultType: type)
        } catch {
            throw EvaluationError(error.sqlState, error.message)
        }
    }

    static func zero(of type: DataType) -> Value {
        switch type {
        case .int: .int(0)
        case .bigint: .bigint(0)
        case .decimal: .decimal(SQLDecimal(0))
        default: .double(0)
        }
    }

    static func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value) -> Value {
        guard let c = Value.compare(a, b) else { return .null }
        switch op {
        case .equal: return .boolean(c == 0)
        case .notEqual: return .boolean(c != 0)
        case .lessThan: return .boolean(c < 0)
        case .lessThanOrEqual: return .boolean(c <= 0)
        case .greaterThan: return .boolean(c > 0)
        case .greaterThanOrEqual: return .boolean(c >= 0)
        }
    }

    /// ksqlDB's element access: arrays are 1-based, negative indexes count from the end, out of range is NULL; maps
    /// look the key up.
    static func subscriptValue(_ container: Value, _ index: Value) -> Value {
        switch (container, index) {
        case (.array(let items), .int(let i)):
            let position = i > 0 ? Int(i) - 1 : items.count + Int(i)
            return i != 0 && position >= 0 && position < items.count ? items[position] : .null
        case (.map(let entries), let key) where !key.isNull:
            return entries.last(where: { Value.isNotDistinct($0.key, key) })?.value ?? .null
        default:
            return .null
        }
    }

    // MARK: - Predicates

    private mutating func compileBetween(_ x: ScalarExpression, _ low: ScalarExpression, _ high: ScalarExpression, _ negated: Bool) throws(EvaluationError) -> Kernel {
        let kx = try compile(x)
        let kl = try compile(low)
        let kh = try compile(high)
        return { input, context in
            let v = kx(input, &context)
            let lo = kl(input, &context)
            let hi = kh(input, &context)
            return (0..<v.count).map { row in
                guard let a = Value.compare(v[row], lo[row]), let b = Value.compare(v[row], hi[row]) else { return .null }
                return .boolean((a >= 0 && b <= 0) != negated)
            }
        }
    }

    private mutating func compileIn(_ x: ScalarExpression, _ items: [ScalarExpression], _ negated: Bool) throws(EvaluationError) -> Kernel {
        let kx = try compile(x)
        let kernels = try items.map { (i) throws(EvaluationError) in try compile(i) }
        return { input, context in
            let v = kx(input, &context)
            let columns = kernels.map { $0(input, &context) }
            return (0..<v.count).map { row in
                // SQL: true if any equal; else NULL if the operand or any item is NULL; else false.
                var sawNull = v[row].isNull
                for column in columns {
                    switch Value.sqlEquals(v[row], column[row]) {
                    case true?: return .boolean(!negated)
                    case nil: sawNull = true
                    case false?: break
                    }
                }
                return sawNull ? .null : .boolean(negated)
            }
        }
    }

    private mutating func compileLike(_ x: ScalarExpression, _ pattern: ScalarExpression, _ escape: ScalarExpression?, _ negated: Bool) throws(EvaluationError) -> Kernel {
        let kx = try compile(x)
        let kp = try compile(pattern)
        let ke = try escape.map { (e) throws(EvaluationError) in try compile(e) }
        // A constant pattern is compiled once.
        var constant: LikePattern?
        if case .literal(.string(let p)) = pattern.kind {
            var escapeByte: UInt8?
            if case .literal(.string(let e))? = escape?.kind { escapeByte = e.utf8.first }
            if escape == nil || escapeByte != nil { constant = LikePattern(p, escape: escapeByte) }
        }
        let fixed = constant
        return { input, context in
            let values = kx(input, &context)
            let patterns = fixed == nil ? kp(input, &context) : []
            let escapes = fixed == nil ? ke.map { $0(input, &context) } : nil
            return (0..<values.count).map { row in
                guard case .string(let s) = values[row] else { return .null }
                let matcher: LikePattern
                if let fixed {
                    matcher = fixed
                } else {
                    guard case .string(let p) = patterns[row] else { return .null }
                    var escapeByte: UInt8?
                    if let escapes {
                        guard case .string(let e) = escapes[row] else { return .null }
                        escapeByte = e.utf8.first
                    }
                    matcher = LikePattern(p, escape: escapeByte)
                }
                return .boolean(matcher.matches(s) != negated)
            }
        }
    }

    private mutating func compileCase(_ whens: [ScalarExpression.When], _ elseResult: ScalarExpression?, type: DataType) throws(EvaluationError) -> Kernel {
        let conditions = try whens.map { (w) throws(EvaluationError) in try compile(w.condition) }
        let results = try whens.map { (w) throws(EvaluationError) in try compile(w.result) }
        let otherwise = try elseResult.map { (e) throws(EvaluationError) in try compile(e) }
        return { input, context in
            var out = [Value](repeating: .null, count: input.count)
            var pending = Array(0..<input.count)
            // Each branch runs only on the rows still undecided, so a branch that would fail (a division by zero)
            // is never evaluated for rows another branch took.
            for (condition, result) in zip(conditions, results) where !pending.isEmpty {
                var sub = EvaluationContext(parameters: context.parameters)
                let rows = input.gathering(pending)
                let decided = condition(rows, &sub)
                var taken: [Int] = []
                var rest: [Int] = []
                for (i, value) in decided.enumerated() { if value.boolValue == true { taken.append(i) } else { rest.append(i) } }
                context.merge(sub, rows: pending)
                if !taken.isEmpty {
                    var branch = EvaluationContext(parameters: context.parameters)
                    let values = result(rows.gathering(taken), &branch)
                    context.merge(branch, rows: taken.map { pending[$0] })
                    for (i, t) in taken.enumerated() { out[pending[t]] = values[i] }
                }
                pending = rest.map { pending[$0] }
            }
            if let otherwise, !pending.isEmpty {
                var sub = EvaluationContext(parameters: context.parameters)
                let values = otherwise(input.gathering(pending), &sub)
                context.merge(sub, rows: pending)
                for (i, row) in pending.enumerated() { out[row] = values[i] }
            }
            return out
        }
    }

    // MARK: - Calls

    private mutating func compileCall(_ name: String, _ arguments: [ScalarExpression], type: DataType) throws(EvaluationError) -> Kernel {
        switch name {
        case "TRANSFORM", "FILTER": return try compileMapFilter(name, arguments)
        case "REDUCE": return try compileReduce(arguments)
        default: break
        }
        guard let body = functions.body(for: name, argumentTypes: arguments.map(\.type), resultType: type) else {
            throw EvaluationError("42883", "no implementation of \(name)(\(arguments.map(\.type.description).joined(separator: ", ")))")
        }
        let kernels = try arguments.map { (a) throws(EvaluationError) in try compile(a) }
        return { input, context in
            let columns = kernels.map { $0(input, &context) }
            var out: [Value] = []
            out.reserveCapacity(input.count)
            var arguments = [Value](repeating: .null, count: columns.count)
            for row in 0..<input.count {
                for i in 0..<columns.count { arguments[i] = columns[i][row] }
                do throws(EvaluationError) {
                    out.append(try arguments.withUnsafeBufferPointer { (buffer) throws(EvaluationError) in try body(buffer) })
                } catch {
                    context.record(error, row: row)
                    out.append(.null)
                }
            }
            return out
        }
    }

    /// TRANSFORM(array, x => f) / FILTER(array, x => p) and TRANSFORM(map, (k, v) => …, (k, v) => …): the elements of
    /// every row form one batch, with the row's own columns repeated beside them.
    private mutating func compileMapFilter(_ name: String, _ arguments: [ScalarExpression]) throws(EvaluationError) -> Kernel {
        let collection = try compile(arguments[0])
        let base = columnCount + lambdaDepth
        var bodies: [Kernel] = []
        var arities: [Int] = []
        for lambda in arguments.dropFirst() {
            guard case .lambda(let count, let body) = lambda.kind else { continue }
            lambdaDepth += count
            bodies.append(try compile(body))
            lambdaDepth -= count
            arities.append(count)
        }
        let isFilter = name == "FILTER"
        let variableCount = arities.max() ?? 1
        let lambdaBodies = bodies
        return { input, context in
            let collections = collection(input, &context)
            var owners: [Int] = []
            var variables: [[Value]] = Array(repeating: [], count: variableCount)
            for (row, value) in collections.enumerated() {
                switch value {
                case .array(let items):
                    for item in items { owners.append(row); variables[0].append(item) }
                case .map(let entries):
                    for entry in entries {
                        owners.append(row)
                        variables[0].append(entry.key)
                        if variables.count > 1 { variables[1].append(entry.value) }
                    }
                default: break
                }
            }
            var inner = input.gathering(owners)
            inner.columns.removeSubrange(min(base, inner.columns.count)...)
            inner.columns += variables.filter { $0.count == owners.count }
            var sub = EvaluationContext(parameters: context.parameters)
            let results = lambdaBodies.map { $0(inner, &sub) }
            context.merge(sub, rows: owners)
            var out = [Value](repeating: .null, count: input.count)
            var position = 0
            for (row, value) in collections.enumerated() {
                switch value {
                case .array(let items):
                    let slice = results[0][position..<position + items.count]
                    if isFilter {
                        out[row] = .array(zip(items, slice).filter { $0.1.boolValue == true }.map(\.0))
                    } else {
                        out[row] = .array(Array(slice))
                    }
                    position += items.count
                case .map(let entries):
                    let keys = results[0][position..<position + entries.count]
                    let values = results.count > 1 ? results[1][position..<position + entries.count] : keys
                    if isFilter {
                        out[row] = .map(zip(entries, keys).filter { $0.1.boolValue == true }.map(\.0))
                    } else if let map = Self.transformedMap(keys, values) {
                        out[row] = .map(map)
                    } else {
                        context.record(.invalidArgument("TRANSFORM: the key lambda gave two entries one key"), row: row)
                    }
                    position += entries.count
                default:
                    out[row] = .null
                }
            }
            return out
        }
    }

    /// The map TRANSFORM builds; nil when two entries get the same key (ksqlDB's `Collectors.toMap` fails then).
    static func transformedMap(_ keys: ArraySlice<Value>, _ values: ArraySlice<Value>) -> [Value.MapEntry]? {
        var seen = Set<Value>()
        var entries: [Value.MapEntry] = []
        entries.reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) {
            guard seen.insert(key).inserted else { return nil }
            entries.append(Value.MapEntry(key, value))
        }
        return entries
    }

    /// REDUCE(array, initial, (state, x) => f) and REDUCE(map, initial, (state, k, v) => f): one step per element
    /// (or entry) position, each step vectorized over the rows that still have elements.
    private mutating func compileReduce(_ arguments: [ScalarExpression]) throws(EvaluationError) -> Kernel {
        let collection = try compile(arguments[0])
        let initial = try compile(arguments[1])
        let base = columnCount + lambdaDepth
        guard case .lambda(let count, let body) = arguments[2].kind else {
            throw EvaluationError("42883", "REDUCE needs a lambda")
        }
        lambdaDepth += count
        let step = try compile(body)
        lambdaDepth -= count
        return { input, context in
            // An array's elements, or a map's keys with its values beside them (the lambda's third variable).
            var arrays: [[Value]?] = Array(repeating: nil, count: input.count)
            var values: [[Value]?] = count > 2 ? arrays : []
            for (row, v) in collection(input, &context).enumerated() {
                switch v {
                case .array(let items): arrays[row] = items
                case .map(let entries) where count > 2:
                    arrays[row] = entries.map(\.key)
                    values[row] = entries.map(\.value)
                default: break
                }
            }
            var state = initial(input, &context)
            let longest = arrays.map { $0?.count ?? 0 }.max() ?? 0
            for k in 0..<longest {
                let rows = (0..<input.count).filter { (arrays[$0]?.count ?? 0) > k }
                var inner = input.gathering(rows)
                inner.columns.removeSubrange(min(base, inner.columns.count)...)
                inner.columns.append(rows.map { state[$0] })
                inner.columns.append(rows.map { arrays[$0]![k] })
                if count > 2 { inner.columns.append(rows.map { values[$0]![k] }) }
                var sub = EvaluationContext(parameters: context.parameters)
                let next = step(inner, &sub)
                context.merge(sub, rows: rows)
                for (i, row) in rows.enumerated() { state[row] = next[i] }
            }
            for row in 0..<input.count where arrays[row] == nil { state[row] = .null }
            return state
        }
    }
}
