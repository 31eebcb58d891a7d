/// Decimal text: parsing (`-12.50`, `1e3`, `.5`) and plain formatting (never scientific notation).
extension SQLDecimal {
    /// Parses a decimal literal: optional sign, digits with an optional point, optional exponent. The result's
    /// scale is the number of fractional digits after applying the exponent (at least 0). Throws
    /// `invalidTextRepresentation` for bad text and `numericValueOutOfRange` beyond 38 digits.
    public init(parsing text: some StringProtocol) throws(RelationalError) {
        self = try NumberText.withUTF8(String(text)) { (bytes) throws(RelationalError) -> SQLDecimal in
            try SQLDecimal(parsingUTF8: NumberText.trimmed(bytes))
        }
    }

    /// Parses the bytes of a decimal literal (see `init(parsing:)`).
    public init(parsingUTF8 bytes: UnsafeRawBufferPointer) throws(RelationalError) {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var unscaled: Int128 = 0
        var digits = 0
        var significant = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if seenPoint { throw Self.badText(bytes) }
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                if seenPoint { fractionDigits += 1 }
                if unscaled != 0 || byte != 0x30 { significant += 1 }
                guard significant <= 38 else {
                    throw RelationalError(.numericValueOutOfRange, "decimal value has more than 38 digits")
                }
                unscaled = unscaled * 10 + Int128(byte - 0x30)
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { throw Self.badText(bytes) }
        var exponent = 0
        if index < bytes.count {
            guard bytes[index] | 0x20 == UInt8(ascii: "e") else { throw Self.badText(bytes) }
            exponent = try Self.parseExponent(bytes, from: index + 1)
        }
        var scale = fractionDigits - exponent
        if scale < 0 {
            unscaled = try Self.scaleUp(unscaled, by: -scale)
            scale = 0
        }
        if scale > Self.maxPrecision {
            // More fractional digits than DECIMAL can hold: round half up to 38.
            let divisor = Self.powersOfTen[min(scale - Self.maxPrecision, 38)]
            let (q, r) = unscaled.quotientAndRemainder(dividingBy: divisor)
            unscaled = scale - Self.maxPrecision > 38 ? 0 : Self.roundHalfUp(q, r, divisor)
            scale = Self.maxPrecision
        }
        self = try SQLDecimal(unscaled: negative ? -unscaled : unscaled, scale: scale)
    }

    static func parseExponent(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(RelationalError) -> Int {
        var index = start
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { throw badText(bytes) }
        var exponent = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { throw badText(bytes) }
            exponent = min(exponent * 10 + Int(byte - 0x30), 100_000)
            index += 1
        }
        return negative ? -exponent : exponent
    }

    static func badText(_ bytes: UnsafeRawBufferPointer) -> RelationalError {
        RelationalError(
            .invalidTextRepresentation,
            "invalid input syntax for type decimal: \"\(String(decoding: bytes.prefix(64), as: UTF8.self))\"")
    }

    /// Plain notation with exactly `scale` fractional digits: `-0.50`, `12`, `0.001`.
    public var description: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the plain-notation text (see `description`) as UTF-8.
    public func appendText(to output: inout [UInt8]) {
        if unscaled < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = unscaled.magnitude
        var reversed: [UInt8] = []
        reversed.reserveCapacity(40)
        repeat {
            let (q, r) = magnitude.quotientAndRemainder(dividingBy: 10)
            reversed.append(UInt8(r) + 0x30)
            magnitude = q
        } while magnitude != 0
        while reversed.count <= scale { reversed.append(0x30) }
        for (offset, digit) in reversed.reversed().enumerated() {
            if offset == reversed.count - scale { output.append(UInt8(ascii: ".")) }
            output.append(digit)
        }
    }

    /// The nearest Double (correctly rounded through the decimal text).
    public var doubleValue: Double {
        if scale == 0, unscaled.magnitude < (1 << 53) { return Double(unscaled) }
        return Double(description) ?? .nan
    }

    /// The decimal nearest to `value` with `scale` digits (half up from the shortest round-trip text of the
    /// double, as ksqlDB's `BigDecimal.valueOf(double)` does). NaN and infinities throw.
    public init(_ value: Double, scale: Int) throws(RelationalError) {
        guard value.isFinite else {
            throw RelationalError(.numericValueOutOfRange, "cannot convert \(value) to DECIMAL")
        }
        self = try SQLDecimal(parsing: value.description).rescaled(to: scale)
    }
}
