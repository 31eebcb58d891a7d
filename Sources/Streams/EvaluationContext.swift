import Relational

/// Per-batch state of expression evaluation: `$n` parameter values, and the errors rows met (a row's first error
/// only), which the operator sends to the processing log.
public struct EvaluationContext: Sendable {
    public var parameters: [Value]
    public private(set) var errors: [Int: EvaluationError] = [:]

    public init(parameters: [Value] = []) {
        self.parameters = parameters
    }

    mutating func record(_ error: EvaluationError, row: Int) {
        if errors[row] == nil { errors[row] = error }
    }

    /// Errors of a sub-batch, mapped back to the rows they came from.
    mutating func merge(_ other: EvaluationContext, rows: [Int]) {
        for (row, error) in other.errors { record(error, row: rows[row]) }
    }

    public mutating func clearErrors() { errors.removeAll(keepingCapacity: true) }
}

/// The columns an expression reads: the input row's columns, then (inside lambdas) one column per lambda variable.
public struct EvaluationInput {
    public var columns: [[Value]]
    public var count: Int

    public init(columns: [[Value]], count: Int) {
        self.columns = columns
        self.count = count
    }

    /// The rows at `rows`, in that order.
    func gathering(_ rows: [Int]) -> EvaluationInput {
        EvaluationInput(columns: columns.map { column in rows.map { column[$0] } }, count: rows.count)
    }
}
