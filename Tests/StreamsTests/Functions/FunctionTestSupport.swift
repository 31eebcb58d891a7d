import Relational
import Streams
import Testing

/// Calls built-in scalar functions the way the expression compiler does: a body from the library for the argument
/// types, then the body on a buffer of values.
enum Fn {
    /// The SQL type a test value stands for (NULL as STRING unless the caller says otherwise).
    static func type(of value: Value) -> DataType {
        switch value {
        case .null, .string: .string
        case .boolean: .boolean
        case .int: .int
        case .bigint: .bigint
        case .double: .double
        case .decimal(let d): .decimal(precision: max(d.digitCount, d.scale + 1), scale: d.scale)
        case .bytes: .bytes
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .array(let elements): .array(elements.first { !$0.isNull }.map(type(of:)) ?? .string)
        case .map(let entries):
            .map(key: .string, value: entries.first { !$0.value.isNull }.map { type(of: $0.value) } ?? .string)
        case .struct(let fields): .struct(fields.enumerated().map { .init("F\($0.offset)", type(of: $0.element)) })
        }
    }

    static func body(_ name: String, _ types: [DataType], result: DataType = .string) -> ScalarFunctionBody? {
        ScalarFunctionLibrary.builtIn.body(for: name, argumentTypes: types, resultType: result)
    }

    /// The function's result for these arguments.
    static func call(_ name: String, _ arguments: [Value], types: [DataType]? = nil, result: DataType = .string)
        throws(EvaluationError) -> Value
    {
        guard let body = body(name, types ?? arguments.map(type(of:)), result: result) else {
            throw EvaluationError("XX000", "no body for \(name)")
        }
        return try arguments.withUnsafeBufferPointer { (buffer) throws(EvaluationError) -> Value in try body(buffer) }
    }

    /// The SQLSTATE the call throws, or nil when it returns.
    static func errorState(_ name: String, _ arguments: [Value], types: [DataType]? = nil, result: DataType = .string)
        -> String?
    {
        do {
            _ = try call(name, arguments, types: types, result: result)
            return nil
        } catch {
            return error.sqlState
        }
    }
}

/// Expects `name(arguments)` to equal `expected` exactly (same case, same value).
func expectCall(
    _ name: String, _ arguments: [Value], _ expected: Value, types: [DataType]? = nil,
    result: DataType = .string, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let actual = try Fn.call(name, arguments, types: types, result: result)
        #expect(actual == expected, "\(name)(\(arguments))", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(name)(\(arguments)) threw \(error.sqlState): \(error.message)", sourceLocation: sourceLocation)
    }
}

/// Expects a DOUBLE result within `tolerance` of `expected`.
func expectDouble(
    _ name: String, _ arguments: [Value], _ expected: Double, tolerance: Double = 1e-9,
    types: [DataType]? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let actual = try Fn.call(name, arguments, types: types, result: .double)
        guard case .double(let x) = actual else {
            Issue.record("\(name)(\(arguments)) = \(actual), not a DOUBLE", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(x - expected) <= tolerance, "\(name)(\(arguments)) = \(x), expected \(expected)",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(name)(\(arguments)) threw \(error.sqlState): \(error.message)", sourceLocation: sourceLocation)
    }
}

/// Expects the call to throw an `EvaluationError` with this SQLSTATE.
func expectError(
    _ name: String, _ arguments: [Value], _ sqlState: String, types: [DataType]? = nil,
    result: DataType = .string, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        Fn.errorState(name, arguments, types: types, result: result) == sqlState, "\(name)(\(arguments))",
        sourceLocation: sourceLocation)
}

// Short value spellings for tables of cases.
func s(_ text: String) -> Value { .string(text) }
func i(_ value: Int32) -> Value { .int(value) }
func b(_ value: Int64) -> Value { .bigint(value) }
func d(_ value: Double) -> Value { .double(value) }
func dec(_ text: String) -> Value { .decimal(try! SQLDecimal(parsing: text)) }
func arr(_ elements: Value...) -> Value { .array(elements) }
func strings(_ elements: String...) -> Value { .array(elements.map { .string($0) }) }
func map(_ pairs: (String, Value)...) -> Value { .map(pairs.map { Value.MapEntry(.string($0.0), $0.1) }) }
let null = Value.null
