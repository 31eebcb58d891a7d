import Relational
import Streams
import SQLSyntax

/// The built-in functions the binder resolves calls against: names (case-insensitive, stored upper-cased), kinds
/// and overloads with type patterns. Implementations live with the executors (Streams); this is the part that
/// type checking and `SHOW FUNCTIONS` / `DESCRIBE FUNCTION` need.
public struct FunctionRegistry: Sendable {
    public private(set) var functions: [String: FunctionDescription] = [:]
    /// Kinds by name, for the binder's frequent "is this an aggregate?" question without copying descriptions.
    private var kinds: [String: FunctionDescription.Kind] = [:]

    public init(_ descriptions: [FunctionDescription] = []) {
        for description in descriptions { register(description) }
    }

    public mutating func register(_ description: FunctionDescription) {
        kinds[description.name] = description.kind
        if var existing = functions[description.name] {
            existing.signatures += description.signatures
            functions[description.name] = existing
        } else {
            functions[description.name] = description
        }
    }

    public subscript(name: String) -> FunctionDescription? { functions[name] ?? functions[name.upperCasedIfNeeded] }

    /// The kind of the function called `name`, if there is one.
    public func kind(of name: String) -> FunctionDescription.Kind? { kinds[name] ?? kinds[name.upperCasedIfNeeded] }
    public var names: [String] { functions.keys.sorted() }

    /// A call resolved to one overload: the function, the types each argument is coerced to, and the result type.
    public struct Resolution: Sendable {
        public var signature: FunctionSignature
        /// Per argument, the parameter type it binds to (nil for lambdas and time units, which the binder handles).
        public var argumentTypes: [DataType?]
        public var returnType: DataType
    }

    /// Picks the overload of `name` that accepts `arguments` with the fewest implicit widenings. `nil` argument types
    /// are NULL literals (they match anything); lambdas are resolved by the binder through `lambdaParameterTypes`.
    public func resolve(_ name: Identifier, arguments: [ArgumentShape]) throws(PlanError) -> Resolution {
        guard let function = self[name.value] else {
            throw PlanError(.undefinedFunction, "function \(name.value) does not exist",
                            hint: PlanError.suggestion(for: name.value.uppercased(), among: names), at: name.span)
        }
        return try resolve(function, arguments: arguments, at: name.span)
    }

    /// Picks the overload of `function` (already looked up) that accepts `arguments`.
    public func resolve<Shapes: RandomAccessCollection<ArgumentShape>>(
        _ function: FunctionDescription, arguments: Shapes, at span: SourceSpan
    ) throws(PlanError) -> Resolution where Shapes.Index == Int {
        // The best overload so far by index, so that signatures are read in place rather than copied per try.
        var best: (index: Int, cost: Int, returnType: DataType)?
        var ambiguous = false
        var matcher = SignatureMatcher()
        // Two buffers, swapped when a match is better: the best match's types, and the one each try fills. A single
        // buffer kept by the best match would be shared, and the next try would allocate a copy to write into.
        var bestTypes: [DataType?] = []
        var coerced: [DataType?] = []
        for i in function.signatures.indices where SignatureMatcher.accepts(function.signatures[i], count: arguments.count) {
            guard let cost = matcher.match(function.signatures[i], arguments, coerced: &coerced) else { continue }
            if let best, best.cost < cost { continue }
            guard let returnType = matcher.returnType(function.signatures[i]) else { continue }
            if let best, best.cost == cost {
                ambiguous = true
            } else {
                best = (i, cost, returnType)
                swap(&bestTypes, &coerced)
                ambiguous = false
            }
        }
        guard let best, !ambiguous || function.signatures.count == 1 else {
            let given = arguments.map(\.description).joined(separator: ", ")
            let candidates = function.signatures.map { "\(function.name)\($0)" }.joined(separator: "; ")
            throw PlanError(.undefinedFunction, "function \(function.name)(\(given)) does not exist",
                            hint: "candidates: \(candidates)", at: span)
        }
        return Resolution(signature: function.signatures[best.index], argumentTypes: bestTypes, returnType: best.returnType)
    }
}

/// What the binder knows of an argument before resolution.
public enum ArgumentShape: Sendable, CustomStringConvertible {
    case value(DataType?)
    /// A lambda with this many parameters; its body is bound once the parameter types are known.
    case lambda(parameterCount: Int, bodyType: @Sendable ([DataType]) throws -> DataType?)
    case timeUnit

    public var description: String {
        switch self {
        case .value(let type): type?.description ?? "NULL"
        case .lambda(let count, _): "LAMBDA/\(count)"
        case .timeUnit: "TIME_UNIT"
        }
    }
}
