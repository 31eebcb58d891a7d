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

    public var description: String {
        "\(function)(\(distinct ? "DISTINCT " : "")\(arguments.map(\.description).joined(separator: ", ")))"
    }
}
