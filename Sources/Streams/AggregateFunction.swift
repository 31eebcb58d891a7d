import Relational

/// An aggregate's state machine: its state is a short list of values (stored with `ValueCodec`), updated per input
/// row and turned into the result on output. Follows ksqlDB's documented NULL rules: NULL inputs are ignored except
/// by COUNT(*); LATEST/EARLIEST_BY_OFFSET ignore NULLs unless told not to.
struct AggregateFunction: Sendable {
    let name: String
    let resultType: DataType
    let argumentTypes: [DataType]
    /// Constant arguments (TOPK's k, LATEST_BY_OFFSET's n and ignoreNulls), read from literal arguments.
    let constants: [Value?]

    static let collectLimit = 1000

    init(name: String, resultType: DataType, argumentTypes: [DataType], constants: [Value?]) {
        self.name = name
        self.resultType = resultType
        self.argumentTypes = argumentTypes
        self.constants = constants
    }

    /// The function a planned call computes; literal arguments become its constants.
    init(_ call: AggregateCall) {
        self.init(name: call.function, resultType: call.type, argumentTypes: call.arguments.map(\.type),
                  constants: call.arguments.map { argument -> Value? in
                      if case .literal(let value) = argument.kind { return value }
                      return nil
                  })
    }

    var initialState: [Value] {
        switch name {
        case "COUNT", "COUNT_DISTINCT": [.bigint(0)] + (name == "COUNT_DISTINCT" ? [.array([])] : [])
        case "SUM": [zero]
        case "AVG": [.double(0), .bigint(0)]
        case "STDDEV_SAMP", "STDDEV_SAMPLE": [.bigint(0), .double(0), .double(0)]
        case "CORRELATION": [.bigint(0), .double(0), .double(0), .double(0), .double(0), .double(0)]
        case "COLLECT_LIST", "COLLECT_SET", "TOPK", "TOPKDISTINCT": [.array([])]
        case "HISTOGRAM": [.map([])]
        case "ATTR": [.null, .boolean(false), .boolean(false)]
        default: [.null, .boolean(false)]  // MIN, MAX, LATEST/EARLIEST_BY_OFFSET: value, seen
        }
    }

    private var zero: Value {
        switch resultType {
        case .bigint: .bigint(0)
        case .decimal(_, let scale): (try? Value.cast(.bigint(0), from: .bigint, to: .decimal(precision: 38, scale: scale))) ?? .double(0)
        default: .double(0)
        }
    }

    private var ignoreNulls: Bool {
        if case .boolean(let b)? = constants.last ?? nil, constants.count >= 2 { return b }
        return true
    }

    private var count: Int? {
        if constants.count >= 2, case .int(let n)? = constants[1] { return Int(n) }
        return nil
    }

    /// Folds one row's argument values into `state`.
    func add(_ arguments: [Value], to state: inout [Value]) throws(EvaluationError) {
        let x = arguments.first ?? .null
        switch name {
        case "COUNT":
            if arguments.isEmpty || !x.isNull { state[0] = .bigint((state[0].integerValue ?? 0) + 1) }
        case "COUNT_DISTINCT":
            guard !x.isNull, case .array(var seen) = state[1] else { return }
            if !seen.contains(x) {
                seen.append(x)
                state = [.bigint(Int64(seen.count)), .array(seen)]
            }
        case "SUM":
            guard !x.isNull else { return }
            state[0] = try Self.add(state[0], x, resultType)
        case "AVG":
            guard let v = x.doubleValue else { return }
            state = [.double((state[0].doubleValue ?? 0) + v), .bigint((state[1].integerValue ?? 0) + 1)]
        case "MIN", "MAX":
            guard !x.isNull else { return }
            if state[1] != .boolean(true) || Self.better(x, than: state[0], max: name == "MAX") { state = [x, .boolean(true)] }
        case "LATEST_BY_OFFSET", "EARLIEST_BY_OFFSET":
            if x.isNull && ignoreNulls { return }
            if let n = count {
                guard case .array(var items) = state[0] == .null ? .array([]) : state[0] else { return }
                if name == "LATEST_BY_OFFSET" {
                    items.append(x)
                    if items.count > n { items.removeFirst(items.count - n) }
                } else if items.count < n {
                    items.append(x)
                }
                state = [.array(items), .boolean(true)]
            } else if name == "LATEST_BY_OFFSET" || state[1] != .boolean(true) {
                state = [x, .boolean(true)]
            }
        case "COLLECT_LIST", "COLLECT_SET":
            guard !x.isNull, case .array(var items) = state[0], items.count < Self.collectLimit else { return }
            if name == "COLLECT_LIST" || !items.contains(x) { items.append(x) }
            state[0] = .array(items)
        case "TOPK", "TOPKDISTINCT":
            guard !x.isNull, case .array(var items) = state[0], case .int(let k)? = constants.last ?? nil else { return }
            if name == "TOPKDISTINCT" && items.contains(x) { return }
            items.append(x)
            items.sort { Value.orderingCompare($0, $1, descending: true) < 0 }
            if items.count > Int(k) { items.removeLast(items.count - Int(k)) }
            state[0] = .array(items)
        case "HISTOGRAM":
            guard !x.isNull, case .map(var entries) = state[0] else { return }
            if let i = entries.firstIndex(where: { $0.key == x }) {
                entries[i].value = .bigint((entries[i].value.integerValue ?? 0) + 1)
            } else if entries.count < Self.collectLimit {
                entries.append(.init(x, .bigint(1)))
            }
            state[0] = .map(entries)
        case "STDDEV_SAMP", "STDDEV_SAMPLE":
            // Welford's online variance.
            guard let v = x.doubleValue else { return }
            let n = (state[0].integerValue ?? 0) + 1
            let mean = state[1].doubleValue ?? 0
            let delta = v - mean
            let newMean = mean + delta / Double(n)
            state = [.bigint(n), .double(newMean), .double((state[2].doubleValue ?? 0) + delta * (v - newMean))]
        case "CORRELATION":
            guard let a = x.doubleValue, let b = arguments.count > 1 ? arguments[1].doubleValue : nil else { return }
            let n = (state[0].integerValue ?? 0) + 1
            let (meanA, meanB) = (state[1].doubleValue ?? 0, state[2].doubleValue ?? 0)
            let (da, db) = (a - meanA, b - meanB)
            let newMeanA = meanA + da / Double(n)
            let newMeanB = meanB + db / Double(n)
            state = [.bigint(n), .double(newMeanA), .double(newMeanB),
                     .double((state[3].doubleValue ?? 0) + da * (b - newMeanB)),
                     .double((state[4].doubleValue ?? 0) + da * (a - newMeanA)),
                     .double((state[5].doubleValue ?? 0) + db * (b - newMeanB))]
        case "ATTR":
            if state[1] != .boolean(true) {
                state = [x, .boolean(true), .boolean(false)]
            } else if state[0] != x {
                state[2] = .boolean(true)
            }
        default:
            throw EvaluationError("0A000", "aggregate \(name) is not executed yet")
        }
    }

    /// Combines the state of an earlier session into the state of a later one (session windows merge when a record
    /// bridges them). `earlier` covers older records than `later`.
    func merge(_ earlier: [Value], into later: inout [Value]) throws(EvaluationError) {
        func int(_ v: Value) -> Int64 { v.integerValue ?? 0 }
        func double(_ v: Value) -> Double { v.doubleValue ?? 0 }
        switch name {
        case "COUNT":
            later[0] = .bigint(int(earlier[0]) + int(later[0]))
        case "COUNT_DISTINCT":
            guard case .array(let a) = earlier[1], case .array(var b) = later[1] else { return }
            for x in a where !b.contains(x) { b.append(x) }
            later = [.bigint(Int64(b.count)), .array(b)]
        case "SUM":
            later[0] = try Self.add(earlier[0], later[0], resultType)
        case "AVG":
            later = [.double(double(earlier[0]) + double(later[0])), .bigint(int(earlier[1]) + int(later[1]))]
        case "MIN", "MAX":
            guard earlier[1] == .boolean(true) else { return }
            if later[1] != .boolean(true) || Self.better(earlier[0], than: later[0], max: name == "MAX") { later = earlier }
        case "LATEST_BY_OFFSET", "EARLIEST_BY_OFFSET":
            guard earlier[1] == .boolean(true) else { return }
            if let n = count {
                guard case .array(let a) = earlier[0], case .array(let b) = later[1] == .boolean(true) ? later[0] : .array([]) else { return }
                let all = a + b
                later = [.array(name == "LATEST_BY_OFFSET" ? Array(all.suffix(n)) : Array(all.prefix(n))), .boolean(true)]
            } else if name == "EARLIEST_BY_OFFSET" || later[1] != .boolean(true) {
                later = earlier
            }
        case "COLLECT_LIST", "COLLECT_SET":
            guard case .array(let a) = earlier[0], case .array(let b) = later[0] else { return }
            var items = a
            for x in b where items.count < Self.collectLimit && (name == "COLLECT_LIST" || !items.contains(x)) { items.append(x) }
            later[0] = .array(items)
        case "TOPK", "TOPKDISTINCT":
            guard case .array(let a) = earlier[0], case .array(var items) = later[0], case .int(let k)? = constants.last ?? nil else { return }
            for x in a where name == "TOPK" || !items.contains(x) { items.append(x) }
            items.sort { Value.orderingCompare($0, $1, descending: true) < 0 }
            if items.count > Int(k) { items.removeLast(items.count - Int(k)) }
            later[0] = .array(items)
        case "HISTOGRAM":
            guard case .map(let a) = earlier[0], case .map(var entries) = later[0] else { return }
            for entry in a {
                if let i = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[i].value = .bigint(int(entries[i].value) + int(entry.value))
                } else if entries.count < Self.collectLimit {
                    entries.append(entry)
                }
            }
            later[0] = .map(entries)
        case "STDDEV_SAMP", "STDDEV_SAMPLE":
            // Chan et al.'s parallel combination of Welford states.
            let (na, nb) = (int(earlier[0]), int(later[0]))
            guard na > 0 else { return }
            guard nb > 0 else { later = earlier; return }
            let n = Double(na + nb)
            let delta = double(later[1]) - double(earlier[1])
            later = [.bigint(na + nb), .double(double(earlier[1]) + delta * Double(nb) / n),
                     .double(double(earlier[2]) + double(later[2]) + delta * delta * Double(na) * Double(nb) / n)]
        case "CORRELATION":
            let (na, nb) = (int(earlier[0]), int(later[0]))
            guard na > 0 else { return }
            guard nb > 0 else { later = earlier; return }
            let n = Double(na + nb)
            let w = Double(na) * Double(nb) / n
            let da = double(later[1]) - double(earlier[1])
            let db = double(later[2]) - double(earlier[2])
            later = [.bigint(na + nb), .double(double(earlier[1]) + da * Double(nb) / n), .double(double(earlier[2]) + db * Double(nb) / n),
                     .double(double(earlier[3]) + double(later[3]) + da * db * w),
                     .double(double(earlier[4]) + double(later[4]) + da * da * w),
                     .double(double(earlier[5]) + double(later[5]) + db * db * w)]
        case "ATTR":
            guard earlier[1] == .boolean(true) else { return }
            if later[1] != .boolean(true) {
                later = earlier
            } else if earlier[2] == .boolean(true) || earlier[0] != later[0] {
                later[2] = .boolean(true)
            }
        default:
            throw EvaluationError("0A000", "aggregate \(name) cannot merge session windows yet")
        }
    }

    func result(_ state: [Value]) -> Value {
        switch name {
        case "COUNT", "COUNT_DISTINCT", "SUM", "COLLECT_LIST", "COLLECT_SET", "TOPK", "TOPKDISTINCT", "HISTOGRAM": return state[0]
        case "AVG":
            guard let n = state[1].integerValue, n > 0, let sum = state[0].doubleValue else { return .null }
            return .double(sum / Double(n))
        case "STDDEV_SAMP", "STDDEV_SAMPLE":
            guard let n = state[0].integerValue, n > 1, let m2 = state[2].doubleValue else { return .null }
            return .double((m2 / Double(n - 1)).squareRoot())
        case "CORRELATION":
            guard let n = state[0].integerValue, n > 1, let c = state[3].doubleValue, let ma = state[4].doubleValue,
                let mb = state[5].doubleValue, ma > 0, mb > 0
            else { return .null }
            return .double(c / (ma * mb).squareRoot())
        case "ATTR": return state[2] == .boolean(true) ? .null : state[0]
        default: return state[0]
        }
    }

    /// Takes one row's argument values back out of `state` (a table row that changed or was deleted).
    func remove(_ arguments: [Value], from state: inout [Value]) throws(EvaluationError) {
        let x = arguments.first ?? .null
        switch name {
        case "COUNT":
            if arguments.isEmpty || !x.isNull { state[0] = .bigint((state[0].integerValue ?? 0) - 1) }
        case "SUM":
            guard !x.isNull else { return }
            do throws(RelationalError) {
                let widened = try Value.cast(x, from: Self.dataType(of: x), to: resultType)
                state[0] = try Value.arithmetic(.subtract, state[0], widened, resultType: resultType)
            } catch {
                throw EvaluationError(error.sqlState, error.message)
            }
        case "AVG":
            guard let v = x.doubleValue else { return }
            state = [.double((state[0].doubleValue ?? 0) - v), .bigint((state[1].integerValue ?? 0) - 1)]
        case "COLLECT_LIST":
            guard !x.isNull, case .array(var items) = state[0], let i = items.firstIndex(of: x) else { return }
            items.remove(at: i)
            state[0] = .array(items)
        case "HISTOGRAM":
            guard !x.isNull, case .map(var entries) = state[0], let i = entries.firstIndex(where: { $0.key == x }) else { return }
            let n = (entries[i].value.integerValue ?? 0) - 1
            if n <= 0 { entries.remove(at: i) } else { entries[i].value = .bigint(n) }
            state[0] = .map(entries)
        default:
            throw EvaluationError("0A000", "\(name) cannot take a row back out, so it cannot aggregate a table")
        }
    }

    static func add(_ a: Value, _ b: Value, _ type: DataType) throws(EvaluationError) -> Value {
        do throws(RelationalError) {
            let widened = try Value.cast(b, from: dataType(of: b), to: type)
            return try Value.arithmetic(.add, a, widened, resultType: type)
        } catch {
            throw EvaluationError(error.sqlState, error.message)
        }
    }

    static func dataType(of value: Value) -> DataType {
        switch value {
        case .int: .int
        case .bigint: .bigint
        case .decimal(let d): .decimal(precision: 38, scale: d.scale)
        default: .double
        }
    }

    static func better(_ candidate: Value, than current: Value, max: Bool) -> Bool {
        guard let c = Value.compare(candidate, current) else { return false }
        return max ? c > 0 : c < 0
    }
}
