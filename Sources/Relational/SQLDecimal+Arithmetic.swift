/// Exact arithmetic; every overflow throws `numericValueOutOfRange`, division by zero `divisionByZero`.
extension SQLDecimal {
    public func adding(_ other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        let (lhs, rhs) = try Self.aligned(self, other)
        let (sum, overflow) = lhs.unscaled.addingReportingOverflow(rhs.unscaled)
        guard !overflow else { throw Self.overflow("addition") }
        return try SQLDecimal(unscaled: sum, scale: lhs.scale)
    }

    public func subtracting(_ other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        try adding(other.negated())
    }

    public func negated() -> SQLDecimal { SQLDecimal(uncheckedUnscaled: -unscaled, scale: scale) }

    /// The exact product when it fits 38 digits at scale ≤ 38; otherwise the product rounded half up to as
    /// many fractional digits as fit. Overflow only when its integer part alone needs more than 38 digits.
    public func multiplied(by other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        let (high, low) = unscaled.magnitude.multipliedFullWidth(by: other.unscaled.magnitude)
        let productScale = scale + other.scale
        var drop = max(0, productScale - Self.maxPrecision)
        while drop <= min(productScale, Self.maxPrecision) {
            if let magnitude = Self.roundedQuotient(high, low, dividingByPowerOfTen: drop) {
                let negative = (unscaled < 0) != (other.unscaled < 0)
                return SQLDecimal(
                    uncheckedUnscaled: negative ? -Int128(magnitude) : Int128(magnitude), scale: productScale - drop)
            }
            drop += 1
        }
        throw Self.overflow("multiplication")
    }

    /// round((high, low) / 10^digits) half up, or nil when the result would need more than 38 digits.
    static func roundedQuotient(_ high: UInt128, _ low: UInt128, dividingByPowerOfTen digits: Int) -> UInt128? {
        let divisor = powersOfTen[digits].magnitude
        guard high < divisor else { return nil }
        let (quotient, remainder) = divisor.dividingFullWidth((high, low))
        let rounded = remainder >= divisor - remainder ? quotient + 1 : quotient
        return rounded < bound.magnitude ? rounded : nil
    }

    /// The quotient rounded half up to `resultScale` fractional digits. Exact long division: it fails only
    /// when the quotient itself needs more than 38 digits.
    public func divided(by other: SQLDecimal, scale resultScale: Int) throws(RelationalError) -> SQLDecimal {
        guard other.unscaled != 0 else { throw RelationalError(.divisionByZero, "division by zero") }
        guard (0...Self.maxPrecision).contains(resultScale) else {
            throw RelationalError(.numericValueOutOfRange, "decimal scale \(resultScale) is outside 0...38")
        }
        // self/other = (a / 10^sa) / (b / 10^sb), so the result's unscaled value is a * 10^(rs - sa + sb) / b.
        let shift = resultScale - scale + other.scale
        let magnitude =
            shift >= 0
            ? try Self.longDivision(unscaled.magnitude, other.unscaled.magnitude, extraDigits: shift)
            : Self.scaledDownDivision(unscaled.magnitude, other.unscaled.magnitude, digits: -shift)
        let negative = (unscaled < 0) != (other.unscaled < 0)
        return try SQLDecimal(unscaled: negative ? -Int128(magnitude) : Int128(magnitude), scale: resultScale)
    }

    /// round(a * 10^extraDigits / b), half up, one decimal digit at a time so that nothing overflows.
    static func longDivision(_ a: UInt128, _ b: UInt128, extraDigits: Int) throws(RelationalError) -> UInt128 {
        var (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        for _ in 0..<extraDigits {
            let (digit, rest) = b.dividingFullWidth(remainder.multipliedFullWidth(by: 10))
            let (times10, o1) = quotient.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2, sum < bound.magnitude else { throw overflow("division") }
            (quotient, remainder) = (sum, rest)
        }
        return remainder >= b - remainder ? quotient + 1 : quotient
    }

    /// round(a / (b * 10^digits)), half up; a divisor beyond 128 bits makes the quotient round to 0.
    static func scaledDownDivision(_ a: UInt128, _ b: UInt128, digits: Int) -> UInt128 {
        guard digits <= 38 else { return 0 }
        let (divisor, overflow) = b.multipliedReportingOverflow(by: powersOfTen[digits].magnitude)
        guard !overflow else { return 0 }
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: divisor)
        return remainder >= divisor - remainder ? quotient + 1 : quotient
    }

    /// The remainder with the sign of the dividend (SQL `%`), at the larger of the two scales.
    public func remainder(dividingBy other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        guard other.unscaled != 0 else { throw RelationalError(.divisionByZero, "division by zero") }
        let (lhs, rhs) = try Self.aligned(self, other)
        return SQLDecimal(uncheckedUnscaled: lhs.unscaled % rhs.unscaled, scale: lhs.scale)
    }

    /// Both operands at the larger scale.
    static func aligned(_ lhs: SQLDecimal, _ rhs: SQLDecimal) throws(RelationalError) -> (SQLDecimal, SQLDecimal) {
        if lhs.scale == rhs.scale { return (lhs, rhs) }
        let target = max(lhs.scale, rhs.scale)
        return (try lhs.rescaled(to: target), try rhs.rescaled(to: target))
    }

    static func overflow(_ operation: String) -> RelationalError {
        RelationalError(.numericValueOutOfRange, "numeric overflow in decimal \(operation)")
    }
}
