/// A binary arithmetic operator, with the SQL result type rules the planner needs.
public enum ArithmeticOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"

    /// The result type of `lhs op rhs` for numeric operands, or nil when the operands are not numeric.
    /// Integers stay integers (INT op INT is INT, as ksqlDB; `/` truncates), DOUBLE wins over everything,
    /// and DECIMAL results follow ksqlDB's rules (DecimalUtil): with p1, s1 and p2, s2 the operand
    /// precisions and scales,
    /// - `+`, `-`: scale max(s1, s2), precision max(p1 - s1, p2 - s2) + scale + 1
    /// - `*`: precision p1 + p2 + 1, scale s1 + s2
    /// - `/`: scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale
    /// - `%`: scale max(s1, s2), precision min(p1 - s1, p2 - s2) + scale
    /// each capped at 38 digits (the scale shrinks to keep the integer digits when the cap bites).
    public func resultType(_ lhs: DataType, _ rhs: DataType) -> DataType? {
        guard lhs.isNumeric, rhs.isNumeric, let common = DataType.commonSuperType(lhs, rhs) else { return nil }
        guard case .decimal = common, let (p1, s1) = lhs.asDecimalType, let (p2, s2) = rhs.asDecimalType else {
            return common
        }
        let (precision, scale): (Int, Int)
        switch self {
        case .add, .subtract:
            scale = max(s1, s2)
            precision = max(p1 - s1, p2 - s2) + scale + 1
        case .multiply:
            (precision, scale) = (p1 + p2 + 1, s1 + s2)
        case .divide:
            scale = max(6, s1 + p2 + 1)
            precision = p1 - s1 + s2 + scale
        case .modulo:
            scale = max(s1, s2)
            precision = min(p1 - s1, p2 - s2) + scale
        }
        return Self.capped(precision: precision, scale: scale)
    }

    static func capped(precision: Int, scale: Int) -> DataType {
        let cap = SQLDecimal.maxPrecision
        guard precision > cap else { return .decimal(precision: max(1, precision), scale: scale) }
        let integerDigits = precision - scale
        return .decimal(precision: cap, scale: max(0, min(scale, cap - integerDigits)))
    }
}
