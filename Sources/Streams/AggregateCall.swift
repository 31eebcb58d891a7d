import Relational

/// One aggregate of an aggregation: the function (resolved), its bound arguments over the aggregation's input row,
/// DISTINCT, and its result type.
public struct AggregateCall: Hashable, Sendable, CustomStringConvertible {
    public var function: String
    public var arguments: [ScalarExpression]
    public var distinct: Bool
    public var type: DataType

    public init(function: String, arguments: [ScalarExpression], distinct: Bool, type: DataType) {
        self.function = function
        self.arguments = arguments
        self.distinct = distinct
        self.type = type
    }

    /// The aggregates that can take a row back out of their state (AggregateFunction.remove): the only ones allowed
    /// over a table, as in ksqlDB, whose other aggregates are stream-only.
    public static let retractableFunctions: Set<String> = ["COUNT", "SUM", "AVG", "COLLECT_LIST", "HISTOGRAM"]

    public var description: String {
        "\(function)(\(distinct ? "DISTINCT " : "")\(arguments.map(\.description).joined(separator: ", ")))"
    }
}
