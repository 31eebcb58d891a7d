import Relational

/// A `ScalarExpression` compiled once per query into a tree of batch kernels: each node evaluates over a whole
/// column at a time (one closure call per node per batch, a tight loop inside), so per-record work has no tree
/// walking or type dispatch beyond the values themselves. Errors make the row's value NULL and are recorded in
/// the `EvaluationContext`, as ksqlDB does.
public struct CompiledExpression: Sendable {
    typealias Kernel = @Sendable (_ input: borrowing EvaluationInput, _ context: inout EvaluationContext) -> [Value]

    let kernel: Kernel
    public let type: DataType

    /// Evaluates the expression for every row of `input`.
    public func evaluate(_ input: borrowing EvaluationInput, context: inout EvaluationContext) -> [Value] {
        kernel(input, &context)
    }

    /// Compiles `expression` for rows with `columnCount` columns. Fails when a function has no implementation for
    /// the resolved types (reported when the query starts, never per record).
    public static func compile(
        _ expression: ScalarExpression, columnCount: Int, functions: ScalarFunctionLibrary
    ) throws(EvaluationError) -> CompiledExpression {
        var compiler = ExpressionCompiler(columnCount: columnCount, functions: functions)
        return CompiledExpression(kernel: try compiler.compile(expression), type: expression.type)
    }
}
