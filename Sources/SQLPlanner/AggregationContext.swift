import Relational
import Streams
import SQLSyntax

/// The state of binding expressions that are evaluated after an aggregation (SELECT items and HAVING with GROUP BY,
/// or aggregates without it). The aggregation's output row is: the GROUP BY values, then WINDOWSTART and WINDOWEND
/// for windowed aggregations, then one value per distinct aggregate call, in order of first appearance.
struct AggregationContext {
    var groupBy: [Expr]
    var groupTypes: [DataType]
    var windowed: Bool
    var aggregates: [AggregateCall] = []
    private var calls: [FunctionCall] = []
    /// The scope of the aggregation's input (aggregate arguments are bound against it).
    let inputScope: Scope

    init(groupBy: [Expr], groupTypes: [DataType], windowed: Bool, inputScope: Scope) {
        self.groupBy = groupBy
        self.groupTypes = groupTypes
        self.windowed = windowed
        self.inputScope = inputScope
    }

    var windowColumnsStart: Int { groupBy.count }
    var aggregatesStart: Int { groupBy.count + (windowed ? 2 : 0) }

    /// The output columns: GROUP BY values (named after plain columns, else KSQL_COL_n), window bounds, aggregates.
    func outputSchema(groupNames: [String]) -> Schema {
        var columns: [Column] = []
        columns.reserveCapacity(groupTypes.count + 2 + aggregates.count)
        for (name, type) in zip(groupNames, groupTypes) { columns.append(Column(name, type, role: .key)) }
        if windowed {
            columns.append(Column("WINDOWSTART", .bigint, role: .pseudo))
            columns.append(Column("WINDOWEND", .bigint, role: .pseudo))
        }
        for (i, aggregate) in aggregates.enumerated() { columns.append(Column("KSQL_AGG_\(i)", aggregate.type)) }
        return Schema(columns)
    }

    /// A reference to the result of `call`, binding it (and remembering it) the first time.
    mutating func add(_ call: FunctionCall, binder outer: ExpressionBinder) throws(PlanError) -> ScalarExpression {
        if let j = calls.firstIndex(of: call) {
            return ScalarExpression(.column(aggregatesStart + j), aggregates[j].type)
        }
        let name = FunctionRegistry.canonical(call.name.value)
        guard let description = outer.catalog.functions[name] else { preconditionFailure("caller checked the registry") }
        var binder = ExpressionBinder(catalog: outer.catalog, scope: inputScope)
        binder.aggregatesForbiddenIn = name
        binder.aggregatesForbiddenInArguments = true
        binder.parameterTypes = outer.parameterTypes
        if call.over != nil {
            throw PlanError(.featureNotSupported, "OVER is allowed only on window functions (ROW_NUMBER, LAG, LEAD)", at: call.name.span)
        }
        let arguments: [ScalarExpression]
        let type: DataType
        if call.star {
            guard name == "COUNT" else { throw PlanError(.invalidParameter, "only COUNT takes *", at: call.name.span) }
            (arguments, type) = ([], .bigint)
        } else {
            let (bound, resolution) = try binder.resolveArguments(call, description: description)
            (arguments, type) = (bound, resolution.returnType)
        }
        calls.append(call)
        aggregates.append(AggregateCall(function: name, arguments: arguments, distinct: call.distinct, type: type))
        return ScalarExpression(.column(aggregatesStart + aggregates.count - 1), type)
    }

    /// WINDOWSTART / WINDOWEND after a windowed aggregation.
    func windowBound(_ name: String) -> ScalarExpression? {
        guard windowed else { return nil }
        switch name {
        case "WINDOWSTART": return ScalarExpression(.column(windowColumnsStart), .bigint)
        case "WINDOWEND": return ScalarExpression(.column(windowColumnsStart + 1), .bigint)
        default: return nil
        }
    }
}
