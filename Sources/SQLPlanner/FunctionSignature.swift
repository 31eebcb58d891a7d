import Relational
import Streams

/// The type of one parameter of a built-in function, as a pattern that argument types are matched against.
/// `generic` names a type variable: every parameter using the same name must get the same type (after widening),
/// and the return type may refer to it.
public indirect enum ParameterType: Sendable, Hashable, CustomStringConvertible {
    case exact(DataType)
    /// INT, BIGINT, DOUBLE or DECIMAL.
    case numeric
    /// INT or BIGINT.
    case integral
    case any
    case generic(String)
    case array(ParameterType)
    case map(ParameterType)
    /// A lambda `(x, …) => body` whose parameters take the given types; its body's type binds `returns`.
    case lambda(parameters: [ParameterType], returns: ParameterType)
    /// A time-unit keyword such as DAYS (DATEADD, TIMESTAMPADD).
    case timeUnit

    public static let string = ParameterType.exact(.string)
    public static let int = ParameterType.exact(.int)
    public static let bigint = ParameterType.exact(.bigint)
    public static let double = ParameterType.exact(.double)
    public static let boolean = ParameterType.exact(.boolean)
    public static let timestamp = ParameterType.exact(.timestamp)
    public static let date = ParameterType.exact(.date)
    public static let time = ParameterType.exact(.time)
    public static let bytes = ParameterType.exact(.bytes)

    public var description: String {
        switch self {
        case .exact(let type): type.description
        case .numeric: "NUMERIC"
        case .integral: "INTEGRAL"
        case .any: "ANY"
        case .generic(let name): name
        case .array(let element): "ARRAY<\(element)>"
        case .map(let value): "MAP<STRING, \(value)>"
        case .lambda(let parameters, let returns):
            "LAMBDA(\(parameters.map(\.description).joined(separator: ", "))) => \(returns)"
        case .timeUnit: "TIME_UNIT"
        }
    }
}

/// How a function's result type follows from its argument types.
public enum ReturnType: Sendable, CustomStringConvertible {
    case fixed(DataType)
    /// The type a type variable was bound to, possibly wrapped (ARRAY<T>, MAP<STRING, T>).
    case pattern(ParameterType)
    /// Computed from the bound argument types (DECIMAL precision rules, ROUND with a scale, …).
    case computed(String, @Sendable ([DataType]) -> DataType)

    public var description: String {
        switch self {
        case .fixed(let type): type.description
        case .pattern(let pattern): pattern.description
        case .computed(let label, _): label
        }
    }
}

/// One overload of a built-in function.
public struct FunctionSignature: Sendable, CustomStringConvertible {
    public var parameters: [ParameterType]
    /// A trailing parameter that may repeat (CONCAT, GREATEST, COALESCE).
    public var variadic: ParameterType?
    /// Fewer leading arguments than `parameters` that the function also accepts (optional trailing arguments).
    public var minimumArguments: Int
    public var returns: ReturnType

    public init(_ parameters: [ParameterType], variadic: ParameterType? = nil, minimumArguments: Int? = nil, returns: ReturnType) {
        self.parameters = parameters
        self.variadic = variadic
        self.minimumArguments = minimumArguments ?? parameters.count
        self.returns = returns
    }

    public var description: String {
        var parts = parameters.map(\.description)
        if let variadic { parts.append("\(variadic)...") }
        return "(\(parts.joined(separator: ", "))) -> \(returns)"
    }
}

/// A built-in function: its kind, overloads and what DESCRIBE FUNCTION shows.
public struct FunctionDescription: Sendable {
    public enum Kind: String, Sendable {
        case scalar = "SCALAR"
        case aggregate = "AGGREGATE"
        case table = "TABLE"
        case window = "WINDOW"
    }

    public var name: String
    public var kind: Kind
    public var signatures: [FunctionSignature] {
        didSet { takesTimeUnit = Self.takesTimeUnit(signatures) }
    }
    public var summary: String
    /// Whether an overload's first parameter is a time-unit keyword (DATEADD(DAYS, …)), so that a bare name there
    /// is a unit, not a column.
    public private(set) var takesTimeUnit: Bool

    public init(_ name: String, _ kind: Kind, _ signatures: [FunctionSignature], _ summary: String) {
        self.name = name
        self.kind = kind
        self.signatures = signatures
        self.summary = summary
        self.takesTimeUnit = Self.takesTimeUnit(signatures)
    }

    private static func takesTimeUnit(_ signatures: [FunctionSignature]) -> Bool {
        signatures.contains { if case .timeUnit = $0.parameters.first { true } else { false } }
    }
}
