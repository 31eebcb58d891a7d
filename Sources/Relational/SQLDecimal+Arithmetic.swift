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

    /// The exact product; when its scale would exceed 38 it is rounded half up to scale 38.
    public func multiplied(by other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        let (product, overflow) = unscaled.multipliedReportingOverflow(by: other.unscaled)
        guard !overflow else { throw Self.overflow("multiplication") }
        let productScale = scale + other.scale
        if productScale > Self.maxPrecision {
            let divisor = Self.powersOfTen[productScale - Self.maxPrecision]
            let (q, r) = product.quotientAndRemainder(dividingBy: divisor)
            return try SQLDecimal(unscaled: Self.roundHalfUp(q, r, divisor), scale: Self.maxPrecision)
        }
        guard product.magnitude < Self.bound.magnitude else { throw Self.overflow("multiplication") }
        return SQLDecimal(uncheckedUnscaled: product, scale: productScale)
    }

    /// The quotient rounded half up to `resultScale` fractional digits.
    public func divided(by other: SQLDecimal, scale resultScale: Int) throws(RelationalError) -> SQLDecimal {
        guard other.unscaled != 0 else { throw RelationalError(.divisionByZero, "division by zero") }
        // self/other = (a / 10^sa) / (b / 10^sb); scaled to resultScale: a * 10^(rs - sa + sb) / b.
        let shift = resultScale - scale + other.scale
        var numerator = unscaled
        var denominator = other.unscaled
        if shift >= 0 {
            numerator = try Self.scaleUpForDivision(numerator, by: shift)
        } else {
            denominator = try Self.scaleUpForDivision(denominator, by: -shift)
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return try SQLDecimal(unscaled: Self.roundHalfUp(q, r, denominator), scale: resultScale)
    }

    /// The remainder with the sign of the dividend (SQL `%`), at the larger of the two scales.
    public func remainder(dividingBy other: SQLDecimal) throws(RelationalError) -> SQLDecimal {
        guard other.unscaled != 0 else { throw RelationalError(.divisionByZero, "division by zero") }
        let (lhs, rhs) = try Self.aligned(self, other)
        return SQLDecimal(uncheckedUnscaled: lhs.unscaled % rhs.unscaled, scale: lhs.scale)
    }

    static func scaleUpForDivision(_ value: Int128, by digits: Int) throws(RelationalError) -> Int128 {
        guard digits <= 38 else { throw overflow("division") }
        let (product, overflow) = value.multipliedReportingOverflow(by: powersOfTen[digits])
        guard !overflow else { throw Self.overflow("division") }
        return product
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
