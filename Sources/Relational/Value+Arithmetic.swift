/// Binary arithmetic on values, for the result type `ArithmeticOperator.resultType` gives.
///
/// Operands are widened to the result type first. NULL in, NULL out. INT and BIGINT overflow is
/// `numericValueOutOfRange` (PostgreSQL; ksqlDB would wrap), integer `/` truncates toward zero, and `/` or
/// `%` by zero is `divisionByZero`. DOUBLE follows IEEE-754 (ksqlDB: `1.0 / 0` is Infinity). DECIMAL is
/// exact, then rounded half up to the result scale; too many digits is `numericValueOutOfRange`.
extension Value {
    public static func arithmetic(_ op: ArithmeticOperator, _ lhs: Value, _ rhs: Value, resultType: DataType)
        throws(RelationalError) -> Value
    {
        if lhs.isNull || rhs.isNull { return .null }
        switch resultType {
        case .int:
            let result = try integerArithmetic(
                op, try castToInt64(lhs, from: .bigint), try castToInt64(rhs, from: .bigint), bits: 32)
            return .int(Int32(truncatingIfNeeded: result))
        case .bigint:
            return .bigint(
                try integerArithmetic(
                    op, try castToInt64(lhs, from: .bigint), try castToInt64(rhs, from: .bigint), bits: 64))
        case .double:
            return .double(doubleArithmetic(op, lhs.doubleValue ?? .nan, rhs.doubleValue ?? .nan))
        case .decimal(let precision, let scale):
            guard let a = lhs.decimalValue ?? (try? SQLDecimal(lhs.doubleValue ?? .nan, scale: scale)),
                let b = rhs.decimalValue ?? (try? SQLDecimal(rhs.doubleValue ?? .nan, scale: scale))
            else { throw RelationalError(.cannotCoerce, "operands of \(op.rawValue) are not numbers") }
            return .decimal(try decimalArithmetic(op, a, b, scale: scale).coerced(precision: precision, scale: scale))
        default:
            throw RelationalError(.cannotCoerce, "operator \(op.rawValue) does not apply to type \(resultType)")
        }
    }

    static func integerArithmetic(_ op: ArithmeticOperator, _ a: Int64, _ b: Int64, bits: Int) throws(RelationalError)
        -> Int64
    {
        let (result, overflow): (Int64, Bool)
        switch op {
        case .add: (result, overflow) = a.addingReportingOverflow(b)
        case .subtract: (result, overflow) = a.subtractingReportingOverflow(b)
        case .multiply: (result, overflow) = a.multipliedReportingOverflow(by: b)
        case .divide, .modulo:
            guard b != 0 else { throw RelationalError(.divisionByZero, "division by zero") }
            (result, overflow) =
                op == .divide ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
        }
        guard !overflow, bits == 64 || Int32(exactly: result) != nil else {
            throw RelationalError(.numericValueOutOfRange, "\(bits == 32 ? "integer" : "bigint") out of range")
        }
        return result
    }

    static func doubleArithmetic(_ op: ArithmeticOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .modulo: a.truncatingRemainder(dividingBy: b)
        }
    }

    static func decimalArithmetic(_ op: ArithmeticOperator, _ a: SQLDecimal, _ b: SQLDecimal, scale: Int)
        throws(RelationalError) -> SQLDecimal
    {
        switch op {
        case .add: try a.adding(b)
        case .subtract: try a.subtracting(b)
        case .multiply: try a.multiplied(by: b)
        case .divide: try a.divided(by: b, scale: scale)
        case .modulo: try a.remainder(dividingBy: b)
        }
    }
}
