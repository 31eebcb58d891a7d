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

    init(groupBy: [Expr], groupTypes: [DataType], windowed: Bool, inputScope: Scope, expectedAggregates: Int = 0) {
        self.groupBy = groupBy
        self.groupTypes = groupTypes
        self.windowed = windowed
        self.inputScope = inputScope
        aggregates.reserveCapacity(expectedAggregates)
        calls.reserveCapacity(expectedAggregates)
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
        for (i, aggregate) in aggregates.enumerated() { columns.append(Column("KSQL_AGG_" + String(i), aggregate.type)) }
        return Schema(columns)
    }

    /// A reference to the result of `call` if the aggregation computes it already.
    func reference(to call: FunctionCall) -> ScalarExpression? {
        guard let j = calls.firstIndex(of: call) else { return nil }
        return ScalarExpression(.column(aggregatesStart + j), aggregates[j].type)
    }

    /// Adds the aggregate `call` with its bound arguments and returns a reference to its result.
    mutating func append(_ call: FunctionCall, function: String, arguments: [ScalarExpression], type: DataType) -> ScalarExpression {
        calls.append(call)
        aggregates.append(AggregateCall(function: function, arguments: arguments, distinct: call.distinct, type: type))
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
