import Relational

/// An aggregate's state machine: its state is a short list of values (stored with `ValueCodec`), updated per input
/// row and turned into the result on output. Follows ksqlDB's documented NULL rules: NULL inputs are ignored except
/// by COUNT(*); LATEST/EARLIEST_BY_OFFSET ignore NULLs unless told not to.
struct AggregateFunction: Sendable {
    /// Which state machine: resolved from the name once, so that the per-row paths switch on an integer tag rather
    /// than compare strings.
    enum Kind: String, Sendable {
        case count = "COUNT", countDistinct = "COUNT_DISTINCT", sum = "SUM", avg = "AVG", min = "MIN", max = "MAX"
        case latestByOffset = "LATEST_BY_OFFSET", earliestByOffset = "EARLIEST_BY_OFFSET", collectList = "COLLECT_LIST"
        case collectSet = "COLLECT_SET", topK = "TOPK", topKDistinct = "TOPKDISTINCT", histogram = "HISTOGRAM"
        case stddevSample = "STDDEV_SAMP", correlation = "CORRELATION", attr = "ATTR"
        /// A name the planner accepts but the executors do not run; every use throws 0A000.
        case unsupported = ""

        init(_ name: String) {
            self = Kind(rawValue: name == "STDDEV_SAMPLE" ? "STDDEV_SAMP" : name) ?? .unsupported
        }
    }

    let name: String
    let kind: Kind
    let resultType: DataType
    let argumentTypes: [DataType]
    /// Constant arguments (TOPK's k, LATEST_BY_OFFSET's n and ignoreNulls), read from literal arguments.
    let constants: [Value?]

    static let collectLimit = 1000

    init(name: String, resultType: DataType, argumentTypes: [DataType], constants: [Value?]) {
        self.name = name
        self.kind = Kind(name)
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
        switch kind {
        case .count: [.bigint(0)]
        case .countDistinct: [.bigint(0), .array([])]
        case .sum: [zero]
        case .avg: [.double(0), .bigint(0)]
        case .stddevSample: [.bigint(0), .double(0), .double(0)]
        case .correlation: [.bigint(0), .double(0), .double(0), .double(0), .double(0), .double(0)]
        case .collectList, .collectSet, .topK, .topKDistinct: [.array([])]
        case .histogram: [.map([])]
        case .attr: [.null, .boolean(false), .boolean(false)]
        case .min, .max, .latestByOffset, .earliestByOffset, .unsupported: [.null, .boolean(false)]  // value, seen
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
        // States are updated element by element, never replaced by a new array: the row's state array is uniquely
        // referenced, so this allocates nothing.
        switch kind {
        case .count:
            if arguments.isEmpty || !x.isNull { state[0] = .bigint((state[0].integerValue ?? 0) &+ 1) }
        case .countDistinct:
            guard !x.isNull, case .array(var seen) = state[1] else { return }
            if !seen.contains(x) {
                state[1] = .null  // drop the state's reference, so that `seen` is appended to in place
                seen.append(x)
                state[0] = .bigint(Int64(seen.count))
                state[1] = .array(seen)
            }
        case .sum:
            guard !x.isNull else { return }
            // The usual case, integers into a BIGINT sum, without a cast; overflow is the general path's error.
            if case .bigint(let a) = state[0] {
                let b: Int64?
                switch x {
                case .bigint(let v): b = v
                case .int(let v): b = Int64(v)
                default: b = nil
                }
                if let b {
                    let (sum, overflow) = a.addingReportingOverflow(b)
                    if !overflow {
                        state[0] = .bigint(sum)
                        return
                    }
                }
            }
            state[0] = try Self.add(state[0], x, resultType)
        case .avg:
            guard let v = x.doubleValue else { return }
            state[0] = .double((state[0].doubleValue ?? 0) + v)
            state[1] = .bigint((state[1].integerValue ?? 0) &+ 1)
        case .min, .max:
            guard !x.isNull else { return }
            if state[1] != .boolean(true) || Self.better(x, than: state[0], max: kind == .max) {
                state[0] = x
                state[1] = .boolean(true)
            }
        case .latestByOffset, .earliestByOffset:
            if x.isNull && ignoreNulls { return }
            if let n = count {
                guard case .array(var items) = state[0] == .null ? .array([]) : state[0] else { return }
                state[0] = .null  // drop the state's reference, so that `items` changes in place
                if kind == .latestByOffset {
                    items.append(x)
                    if items.count > n { items.removeFirst(items.count - n) }
                } else if items.count < n {
                    items.append(x)
                }
                state[0] = .array(items)
                state[1] = .boolean(true)
            } else if kind == .latestByOffset || state[1] != .boolean(true) {
                state[0] = x
                state[1] = .boolean(true)
            }
        case .collectList, .collectSet:
            guard !x.isNull, case .array(var items) = state[0], items.count < Self.collectLimit else { return }
            if kind == .collectList || !items.contains(x) {
                state[0] = .null
                items.append(x)
            }
            state[0] = .array(items)
        case .topK, .topKDistinct:
            guard !x.isNull, case .array(var items) = state[0], case .int(let k)? = constants.last ?? nil else { return }
            if kind == .topKDistinct && items.contains(x) { return }
            state[0] = .null
            items.append(x)
            items.sort { Value.orderingCompare($0, $1, descending: true) < 0 }
            if items.count > Int(k) { items.removeLast(items.count - Int(k)) }
            state[0] = .array(items)
        case .histogram:
            guard !x.isNull, case .map(var entries) = state[0] else { return }
            state[0] = .null
            if let i = entries.firstIndex(where: { $0.key == x }) {
                entries[i].value = .bigint((entries[i].value.integerValue ?? 0) + 1)
            } else if entries.count < Self.collectLimit {
                entries.append(.init(x, .bigint(1)))
            }
            state[0] = .map(entries)
        case .stddevSample:
            // Welford's online variance.
            guard let v = x.doubleValue else { return }
            let n = (state[0].integerValue ?? 0) + 1
            let mean = state[1].doubleValue ?? 0
            let delta = v - mean
            let newMean = mean + delta / Double(n)
            state = [.bigint(n), .double(newMean), .double((state[2].doubleValue ?? 0) + delta * (v - newMean))]
        case .correlation:
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
        case .attr:
            if state[1] != .boolean(true) {
                state = [x, .boolean(true), .boolean(false)]
            } else if state[0] != x {
                state[2] = .boolean(true)
            }
        case .unsupported:
            throw EvaluationError("0A000", "aggregate \(name) is not executed yet")
        }
    }

    /// Combines the state of an earlier session into the state of a later one (session windows merge when a record
    /// bridges them). `earlier` covers older records than `later`.
    func merge(_ earlier: [Value], into later: inout [Value]) throws(EvaluationError) {
        func int(_ v: Value) -> Int64 { v.integerValue ?? 0 }
        func double(_ v: Value) -> Double { v.doubleValue ?? 0 }
        switch kind {
        case .count:
            later[0] = .bigint(int(earlier[0]) + int(later[0]))
        case .countDistinct:
            guard case .array(let a) = earlier[1], case .array(var b) = later[1] else { return }
            for x in a where !b.contains(x) { b.append(x) }
            later = [.bigint(Int64(b.count)), .array(b)]
        case .sum:
            later[0] = try Self.add(earlier[0], later[0], resultType)
        case .avg:
            later = [.double(double(earlier[0]) + double(later[0])), .bigint(int(earlier[1]) + int(later[1]))]
        case .min, .max:
            guard earlier[1] == .boolean(true) else { return }
            if later[1] != .boolean(true) || Self.better(earlier[0], than: later[0], max: kind == .max) { later = earlier }
        case .latestByOffset, .earliestByOffset:
            guard earlier[1] == .boolean(true) else { return }
            if let n = count {
                guard case .array(let a) = earlier[0], case .array(let b) = later[1] == .boolean(true) ? later[0] : .array([]) else { return }
                let all = a + b
                later = [.array(kind == .latestByOffset ? Array(all.suffix(n)) : Array(all.prefix(n))), .boolean(true)]
            } else if kind == .earliestByOffset || later[1] != .boolean(true) {
                later = earlier
            }
        case .collectList, .collectSet:
            guard case .array(let a) = earlier[0], case .array(let b) = later[0] else { return }
            var items = a
            for x in b where items.count < Self.collectLimit && (kind == .collectList || !items.contains(x)) { items.append(x) }
            later[0] = .array(items)
        case .topK, .topKDistinct:
            guard case .array(let a) = earlier[0], case .array(var items) = later[0], case .int(let k)? = constants.last ?? nil else { return }
            for x in a where kind == .topK || !items.contains(x) { items.append(x) }
            items.sort { Value.orderingCompare($0, $1, descending: true) < 0 }
            if items.count > Int(k) { items.removeLast(items.count - Int(k)) }
            later[0] = .array(items)
        case .histogram:
            guard case .map(let a) = earlier[0], case .map(var entries) = later[0] else { return }
            for entry in a {
                if let i = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[i].value = .bigint(int(entries[i].value) + int(entry.value))
                } else if entries.count < Self.collectLimit {
                    entries.append(entry)
                }
            }
            later[0] = .map(entries)
        case .stddevSample:
            // Chan et al.'s parallel combination of Welford states.
            let (na, nb) = (int(earlier[0]), int(later[0]))
            guard na > 0 else { return }
            guard nb > 0 else { later = earlier; return }
            let n = Double(na + nb)
            let delta = double(later[1]) - double(earlier[1])
            later = [.bigint(na + nb), .double(double(earlier[1]) + delta * Double(nb) / n),
                     .double(double(earlier[2]) + double(later[2]) + delta * delta * Double(na) * Double(nb) / n)]
        case .correlation:
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
        case .attr:
            guard earlier[1] == .boolean(true) else { return }
            if later[1] != .boolean(true) {
                later = earlier
            } else if earlier[2] == .boolean(true) || earlier[0] != later[0] {
                later[2] = .boolean(true)
            }
        case .unsupported:
            throw EvaluationError("0A000", "aggregate \(name) cannot merge session windows yet")
        }
    }

    func result(_ state: [Value]) -> Value {
        switch kind {
        case .count, .countDistinct, .sum, .collectList, .collectSet, .topK, .topKDistinct, .histogram: return state[0]
        case .avg:
            guard let n = state[1].integerValue, n > 0, let sum = state[0].doubleValue else { return .null }
            return .double(sum / Double(n))
        case .stddevSample:
            guard let n = state[0].integerValue, n > 1, let m2 = state[2].doubleValue else { return .null }
            return .double((m2 / Double(n - 1)).squareRoot())
        case .correlation:
            guard let n = state[0].integerValue, n > 1, let c = state[3].doubleValue, let ma = state[4].doubleValue,
                let mb = state[5].doubleValue, ma > 0, mb > 0
            else { return .null }
            return .double(c / (ma * mb).squareRoot())
        case .attr: return state[2] == .boolean(true) ? .null : state[0]
        case .min, .max, .latestByOffset, .earliestByOffset, .unsupported: return state[0]
        }
    }

    /// Takes one row's argument values back out of `state` (a table row that changed or was deleted).
    func remove(_ arguments: [Value], from state: inout [Value]) throws(EvaluationError) {
        let x = arguments.first ?? .null
        switch kind {
        case .count:
            if arguments.isEmpty || !x.isNull { state[0] = .bigint((state[0].integerValue ?? 0) - 1) }
        case .sum:
            guard !x.isNull else { return }
            do throws(RelationalError) {
                let widened = try Value.cast(x, from: Self.dataType(of: x), to: resultType)
                state[0] = try Value.arithmetic(.subtract, state[0], widened, resultType: resultType)
            } catch {
                throw EvaluationError(error.sqlState, error.message)
            }
        case .avg:
            guard let v = x.doubleValue else { return }
            state[0] = .double((state[0].doubleValue ?? 0) - v)
            state[1] = .bigint((state[1].integerValue ?? 0) - 1)
        case .collectList:
            guard !x.isNull, case .array(var items) = state[0], let i = items.firstIndex(of: x) else { return }
            items.remove(at: i)
            state[0] = .array(items)
        case .histogram:
            guard !x.isNull, case .map(var entries) = state[0], let i = entries.firstIndex(where: { $0.key == x }) else { return }
            let n = (entries[i].value.integerValue ?? 0) - 1
            if n <= 0 { entries.remove(at: i) } else { entries[i].value = .bigint(n) }
            state[0] = .map(entries)
        case .countDistinct, .min, .max, .latestByOffset, .earliestByOffset, .collectSet, .topK, .topKDistinct, .stddevSample,
            .correlation, .attr, .unsupported:
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
