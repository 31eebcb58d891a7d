import Relational

/// The body of a scalar function for one row: its argument values (already converted to the parameter types the
/// planner resolved) in, its result out. Bodies are created once per query by a factory that sees the argument and
/// result types, so per-row work does no type dispatch that could have been done up front.
public typealias ScalarFunctionBody = @Sendable (_ arguments: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value

/// Makes a function's body for given argument types and result type, or nil when the implementation has no
/// overload for them (a planner/executor mismatch, reported when the query starts).
public typealias ScalarFunctionFactory = @Sendable (_ argumentTypes: [DataType], _ resultType: DataType) -> ScalarFunctionBody?

/// Implementations of the built-in scalar functions, by upper-case name. TRANSFORM, FILTER and REDUCE take lambdas
/// and are evaluated by the expression compiler itself; everything else is here.
public struct ScalarFunctionLibrary: Sendable {
    public private(set) var factories: [String: ScalarFunctionFactory] = [:]

    public init() {}

    public mutating func register(_ name: String, _ factory: @escaping ScalarFunctionFactory) {
        factories[name] = factory
    }

    /// A function whose result depends only on its arguments' values, the same for any argument types.
    public mutating func register(_ name: String, body: @escaping ScalarFunctionBody) {
        factories[name] = { _, _ in body }
    }

    public func body(for name: String, argumentTypes: [DataType], resultType: DataType) -> ScalarFunctionBody? {
        factories[name]?(argumentTypes, resultType)
    }
}
