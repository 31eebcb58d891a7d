import Relational
import Streams
import SQLSyntax

/// The state of binding expressions that are evaluated after an aggregation (SELECT items and HAVING with GROUP BY,
/// or aggregates without it). The aggregation's output row is: the GROUP BY values, then WINDOWSTART and WINDOWEND
/// for windowed aggregations, then one value per distinct aggregate call, in order of first appearance.
struct AggregationContext {
    let groupBy: [Expr]
    /// The case of each GROUP BY expression: the binder asks of every node whether it is one of them, and most nodes
    /// are answered by this without comparing trees.
    private let groupKinds: [Int]
    var groupTypes: [DataType]
    var windowed: Bool
    var aggregates: [AggregateCall] = []
    private var calls: [FunctionCall] = []
    /// The scope of the aggregation's input (aggregate arguments are bound against it).
    let inputScope: Scope

    init(groupBy: [Expr], groupTypes: [DataType], windowed: Bool, inputScope: Scope, expectedAggregates: Int = 0) {
        self.groupBy = groupBy
        groupKinds = groupBy.map(\.kind.caseIndex)
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

    /// The position of `expr` among the GROUP BY expressions, if it is one.
    func groupIndex(of expr: Expr) -> Int? {
        let kind = expr.kind.caseIndex
        for i in groupBy.indices where groupKinds[i] == kind && groupBy[i] == expr { return i }
        return nil
    }

    /// A reference to the result of `call` if the aggregation computes it already.
    func reference(to call: FunctionCall) -> ScalarExpression? {
        // Names first: comparing whole calls copies their arguments out of the tree.
        for j in calls.indices where calls[j].name.value == call.name.value && calls[j] == call {
            return ScalarExpression(.column(aggregatesStart + j), aggregates[j].type)
        }
        return nil
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

extension Expr.Kind {
    /// Which case this is, without reading its payload.
    var caseIndex: Int {
        switch self {
        case .literal: 0
        case .column: 1
        case .parameter: 2
        case .unary: 3
        case .binary: 4
        case .isNull: 5
        case .isDistinctFrom: 6
        case .between: 7
        case .inList: 8
        case .like: 9
        case .caseWhen: 10
        case .cast: 11
        case .dereference: 12
        case .subscript: 13
        case .function: 14
        case .lambda: 15
        case .array: 16
        case .map: 17
        case .structure: 18
        }
    }
}
