/// Implicit widening (sql-features.md §4): INT → BIGINT → DECIMAL → DOUBLE, where INT widens to
/// DECIMAL(10, 0) and BIGINT to DECIMAL(19, 0), and DECIMAL with DOUBLE gives DOUBLE.
extension DataType {
    /// The narrowest type both `lhs` and `rhs` widen to (for arithmetic, comparison, CASE, UNION,
    /// IN lists), or nil when there is none. Arrays and maps widen element-wise; structs must be equal.
    public static func commonSuperType(_ lhs: DataType, _ rhs: DataType) -> DataType? {
        if lhs == rhs { return lhs }
        switch (lhs, rhs) {
        case (.int, .bigint), (.bigint, .int): return .bigint
        case (.double, let other) where other.isNumeric, (let other, .double) where other.isNumeric: return .double
        case (.decimal, _), (_, .decimal): return decimalUnion(lhs, rhs)
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        case (.array(let a), .array(let b)): return commonSuperType(a, b).map(DataType.array)
        case (.map(let ak, let av), .map(let bk, let bv)):
            guard let key = commonSuperType(ak, bk), let value = commonSuperType(av, bv) else { return nil }
            return .map(key: key, value: value)
        default: return nil
        }
    }

    /// Whether a value of `source` may be used where `target` is expected without a CAST.
    public static func canWiden(from source: DataType, to target: DataType) -> Bool {
        commonSuperType(source, target) == target
    }

    /// DECIMAL union: enough integer digits for both and the larger scale, capped at 38 digits.
    static func decimalUnion(_ lhs: DataType, _ rhs: DataType) -> DataType? {
        guard let (p1, s1) = lhs.asDecimalType, let (p2, s2) = rhs.asDecimalType else { return nil }
        let scale = max(s1, s2)
        let integerDigits = max(p1 - s1, p2 - s2)
        let precision = min(SQLDecimal.maxPrecision, integerDigits + scale)
        return .decimal(precision: precision, scale: min(scale, precision))
    }
}
