import Relational

/// One aggregate of an aggregation: the function (resolved), its bound arguments over the aggregation's input row,
/// DISTINCT, and its result type.
public struct AggregateCall: Hashable, Sendable, CustomStringConvertible {
    public var function: String
    public var arguments: [BoundExpression]
    public var distinct: Bool
    public var type: DataType

    public var description: String {
        "\(function)(\(distinct ? "DISTINCT " : "")\(arguments.map(\.description).joined(separator: ", ")))"
    }
}
