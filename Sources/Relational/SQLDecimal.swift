/// An exact decimal number: `unscaled × 10^-scale`, with at most 38 significant digits (ksqlDB's and
/// PostgreSQL-compatible DECIMAL(38, s) limit).
///
/// Representation: a 128-bit signed unscaled integer whose magnitude is kept below 10^38, and a scale in
/// 0...38. Every operation checks for overflow and throws `numericValueOutOfRange` rather than trapping.
/// Limits: no negative scales, no more than 38 digits in any value. Products and quotients are computed
/// exactly (256-bit products, long division) and rounded half up to fit 38 digits; only results whose
/// integer part needs more than 38 digits overflow.
///
/// Equality and hashing are numeric: `1.50 == 1.5`, both hash alike, so DECIMAL works as a GROUP BY key.
public struct SQLDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maxPrecision = 38

    /// The value times 10^scale; |unscaled| < 10^38.
    public let unscaled: Int128
    /// Digits after the decimal point, 0...38.
    public let scale: Int

    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// 10^38: every unscaled value's magnitude stays below it.
    static var bound: Int128 { powersOfTen[38] }

    public init(unscaled: Int128, scale: Int) throws(RelationalError) {
        guard (0...Self.maxPrecision).contains(scale) else {
            throw RelationalError(.numericValueOutOfRange, "decimal scale \(scale) is outside 0...38")
        }
        guard unscaled.magnitude < Self.bound.magnitude else {
            throw RelationalError(.numericValueOutOfRange, "decimal value has more than 38 digits")
        }
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Trusted initializer for values already known to be in range.
    init(uncheckedUnscaled unscaled: Int128, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    public init(_ integer: Int64) {
        self.init(uncheckedUnscaled: Int128(integer), scale: 0)
    }

    public static let zero = SQLDecimal(0)

    /// Digits in the unscaled value (at least 1): the SQL precision this value needs, together with `scale`.
    public var digitCount: Int {
        let magnitude = unscaled.magnitude
        var digits = 1
        while digits < 39, magnitude >= Self.powersOfTen[digits].magnitude { digits += 1 }
        return digits
    }

    /// Whether the value fits DECIMAL(precision, scale) exactly: no more fractional digits than `scale`
    /// (after dropping trailing zeros) and no more than `precision - scale` integer digits.
    public func fits(precision: Int, scale targetScale: Int) -> Bool {
        guard let rescaled = try? rescaled(to: targetScale, rounding: false) else { return false }
        return rescaled.unscaled.magnitude < Self.powersOfTen[max(0, min(precision, 38))].magnitude
    }

    /// This value with `scale` fractional digits. Dropping non-zero digits rounds half away from zero when
    /// `rounding` is true (ksqlDB's HALF_UP, PostgreSQL's numeric rounding) and throws otherwise.
    public func rescaled(to newScale: Int, rounding: Bool = true) throws(RelationalError) -> SQLDecimal {
        if newScale == scale { return self }
        guard (0...Self.maxPrecision).contains(newScale) else {
            throw RelationalError(.numericValueOutOfRange, "decimal scale \(newScale) is outside 0...38")
        }
        if newScale > scale {
            let product = try Self.scaleUp(unscaled, by: newScale - scale)
            return try SQLDecimal(unscaled: product, scale: newScale)
        }
        let divisor = Self.powersOfTen[scale - newScale]
        let (quotient, remainder) = unscaled.quotientAndRemainder(dividingBy: divisor)
        if remainder == 0 { return SQLDecimal(uncheckedUnscaled: quotient, scale: newScale) }
        guard rounding else {
            throw RelationalError(
                .numericValueOutOfRange, "cannot fit decimal \(self) into scale \(newScale) without rounding")
        }
        return SQLDecimal(uncheckedUnscaled: Self.roundHalfUp(quotient, remainder, divisor), scale: newScale)
    }

    /// Rounds to DECIMAL(precision, scale) (half up) and checks the integer digits fit.
    public func coerced(precision: Int, scale targetScale: Int, rounding: Bool = true) throws(RelationalError)
        -> SQLDecimal
    {
        let result = try rescaled(to: targetScale, rounding: rounding)
        guard result.unscaled.magnitude < Self.powersOfTen[max(0, min(precision, 38))].magnitude else {
            throw RelationalError(
                .numericValueOutOfRange,
                "numeric field overflow: \(self) does not fit DECIMAL(\(precision), \(targetScale))")
        }
        return result
    }

    static func scaleUp(_ value: Int128, by digits: Int) throws(RelationalError) -> Int128 {
        guard digits <= 38 else {
            if value == 0 { return 0 }
            throw RelationalError(.numericValueOutOfRange, "decimal value has more than 38 digits")
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: powersOfTen[digits])
        guard !overflow, product.magnitude < bound.magnitude else {
            throw RelationalError(.numericValueOutOfRange, "decimal value has more than 38 digits")
        }
        return product
    }

    static func roundHalfUp(_ quotient: Int128, _ remainder: Int128, _ divisor: Int128) -> Int128 {
        // |remainder| * 2 >= |divisor| rounds away from zero; no overflow since |divisor| <= 10^38.
        guard remainder.magnitude * 2 >= divisor.magnitude else { return quotient }
        return (remainder < 0) != (divisor < 0) ? quotient - 1 : quotient + 1
    }

    // MARK: - Comparable, Hashable

    public static func == (lhs: SQLDecimal, rhs: SQLDecimal) -> Bool { compare(lhs, rhs) == 0 }

    public static func < (lhs: SQLDecimal, rhs: SQLDecimal) -> Bool { compare(lhs, rhs) < 0 }

    /// -1, 0 or 1, exactly, whatever the two scales.
    public static func compare(_ lhs: SQLDecimal, _ rhs: SQLDecimal) -> Int {
        if lhs.scale == rhs.scale { return lhs.unscaled == rhs.unscaled ? 0 : (lhs.unscaled < rhs.unscaled ? -1 : 1) }
        if (lhs.unscaled < 0) != (rhs.unscaled < 0) { return lhs.unscaled < 0 ? -1 : 1 }
        let (high, low) = lhs.scale > rhs.scale ? (lhs, rhs) : (rhs, lhs)
        // Compare integer parts first, then the fractions scaled to the common scale (never overflows).
        let divisor = powersOfTen[high.scale - low.scale]
        let (q, r) = high.unscaled.quotientAndRemainder(dividingBy: divisor)
        var order = q == low.unscaled ? (r == 0 ? 0 : (r < 0 ? -1 : 1)) : (q < low.unscaled ? -1 : 1)
        if lhs.scale < rhs.scale { order = -order }
        return order
    }

    /// The value with trailing fractional zeros removed: the canonical form used for hashing.
    public var normalized: SQLDecimal {
        var value = unscaled
        var newScale = scale
        while newScale > 0, value % 10 == 0 {
            value /= 10
            newScale -= 1
        }
        return SQLDecimal(uncheckedUnscaled: value, scale: newScale)
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.unscaled)
        hasher.combine(canonical.scale)
    }

    public var signum: Int { unscaled == 0 ? 0 : (unscaled < 0 ? -1 : 1) }
}
