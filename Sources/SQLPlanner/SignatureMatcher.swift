import Relational
import Streams

/// Matches argument types against overloads: binds type variables, counts implicit widenings, and computes the
/// return type. One matcher serves all overloads of a call; `match` starts afresh for each.
struct SignatureMatcher {
    private var bindings = TypeBindings()
    private var bound: [DataType] = []

    /// Whether `signature` takes `count` arguments.
    static func accepts(_ signature: FunctionSignature, count: Int) -> Bool {
        count >= signature.minimumArguments && (count <= signature.parameters.count || signature.variadic != nil)
    }

    private static func parameter(_ signature: FunctionSignature, at index: Int) -> ParameterType {
        index < signature.parameters.count ? signature.parameters[index] : signature.variadic!
    }

    /// The coerced type of each argument and the number of widenings, or nil when an argument does not fit.
    /// The caller checked `accepts`.
    mutating func match<Shapes: RandomAccessCollection<ArgumentShape>>(
        _ signature: FunctionSignature, _ arguments: Shapes, coerced: inout [DataType?]
    ) -> Int? where Shapes.Index == Int {
        bindings = TypeBindings()
        var cost = 0
        coerced.removeAll(keepingCapacity: true)
        coerced.reserveCapacity(arguments.count)
        // Two passes: plain values first (they bind type variables), then lambdas (whose parameters use them).
        for (i, argument) in arguments.enumerated() {
            guard case .value(let type) = argument else {
                coerced.append(nil)
                continue
            }
            guard let (target, widenings) = fit(type, to: Self.parameter(signature, at: i)) else { return nil }
            coerced.append(target)
            cost += widenings
        }
        for (i, argument) in arguments.enumerated() {
            switch (argument, Self.parameter(signature, at: i)) {
            case (.lambda(let count, let bodyType), .lambda(let parameters, let returns)):
                guard count == parameters.count else { return nil }
                let parameterTypes = parameters.compactMap(substitute)
                guard parameterTypes.count == parameters.count,
                    let body = try? bodyType(parameterTypes), fit(body, to: returns) != nil
                else { return nil }
            case (.timeUnit, .timeUnit), (.value, _):
                continue
            default:
                return nil
            }
        }
        // Arguments bound to the same variable take their final (widest) binding.
        if !bindings.isEmpty {
            for i in coerced.indices {
                if case .generic = Self.parameter(signature, at: i), coerced[i] != nil { coerced[i] = substitute(Self.parameter(signature, at: i)) }
            }
        }
        if case .computed = signature.returns { bound = coerced.compactMap { $0 } }
        return cost
    }

    /// The result type of the last `match` of `signature`.
    func returnType(_ signature: FunctionSignature) -> DataType? {
        switch signature.returns {
        case .fixed(let type): type
        case .pattern(let pattern): substitute(pattern)
        case .computed(_, let compute): compute(bound)
        }
    }

    /// The type `argument` takes as `parameter`, and how many widenings that needed. NULL (nil) fits anything.
    private mutating func fit(_ argument: DataType?, to parameter: ParameterType) -> (DataType, Int)? {
        switch parameter {
        case .exact(let expected):
            guard let argument else { return (expected, 0) }
            if argument == expected { return (expected, 0) }
            if case .decimal = expected, case .decimal = argument { return (argument, 0) }
            return DataType.canWiden(from: argument, to: expected) ? (expected, 1) : nil
        case .numeric:
            guard let argument else { return (.int, 0) }
            return argument.isNumeric ? (argument, 0) : nil
        case .integral:
            guard let argument else { return (.int, 0) }
            return argument == .int || argument == .bigint ? (argument, 0) : nil
        case .any:
            return (argument ?? .string, 0)
        case .generic(let name):
            guard let argument else { return bindings[name].map { ($0, 0) } ?? (.string, 0) }
            guard let existing = bindings[name] else {
                bindings[name] = argument
                return (argument, 0)
            }
            if existing == argument { return (argument, 0) }
            guard let common = DataType.commonSuperType(existing, argument) else { return nil }
            bindings[name] = common
            return (common, 1)
        case .array(let element):
            guard let argument else { return substitute(parameter).map { ($0, 0) } ?? (.array(.string), 0) }
            guard case .array(let actual) = argument, let (inner, cost) = fit(actual, to: element) else { return nil }
            return (.array(inner), cost)
        case .map(let value):
            guard let argument else { return (.map(key: .string, value: .string), 0) }
            guard case .map(.string, let actual) = argument, let (inner, cost) = fit(actual, to: value) else { return nil }
            return (.map(key: .string, value: inner), cost)
        case .lambda, .timeUnit:
            return nil
        }
    }

    /// `pattern` with its type variables replaced by their bindings; nil while one is unbound.
    private func substitute(_ pattern: ParameterType) -> DataType? {
        switch pattern {
        case .exact(let type): type
        case .generic(let name): bindings[name]
        case .array(let element): substitute(element).map { .array($0) }
        case .map(let value): substitute(value).map { .map(key: .string, value: $0) }
        case .numeric, .integral, .any, .lambda, .timeUnit: nil
        }
    }
}

extension DataType {
    var isNumeric: Bool {
        switch self {
        case .int, .bigint, .double, .decimal: true
        default: false
        }
    }
}

/// A small map from type-variable names to types. Signatures use one or two variables (T, U), which are kept
/// inline; more spill into arrays.
struct TypeBindings {
    private var first: (name: String, type: DataType)?
    private var second: (name: String, type: DataType)?
    private var more: [(name: String, type: DataType)] = []

    var isEmpty: Bool { first == nil }

    subscript(name: String) -> DataType? {
        get {
            if let first, first.name == name { return first.type }
            if let second, second.name == name { return second.type }
            return more.first { $0.name == name }?.type
        }
        set {
            guard let newValue else { preconditionFailure("type variables are never unbound") }
            if first == nil || first!.name == name {
                first = (name, newValue)
            } else if second == nil || second!.name == name {
                second = (name, newValue)
            } else if let i = more.firstIndex(where: { $0.name == name }) {
                more[i].type = newValue
            } else {
                more.append((name, newValue))
            }
        }
    }
}
