import Glibc
import Relational

/// The numeric functions (sql-features.md §5, "Numeric"), with ksqlDB's semantics:
/// - ABS, CEIL, FLOOR keep the argument's type; ABS of the smallest INT/BIGINT is 22003 (Java would wrap).
/// - The DOUBLE math functions follow Java's `Math` (NaN for a domain error, ±Infinity for poles), which libm
///   matches.
/// - ROUND rounds half toward positive infinity (ksqlDB's "equidistant numbers are rounded up"): ROUND(2.5) = 3,
///   ROUND(-2.5) = -2; DOUBLE rounding is done on the shortest decimal text of the double, as ksqlDB's
///   `BigDecimal.valueOf`, so ROUND(1.005, 2) = 1.01. A negative scale rounds left of the point.
/// - TRUNC drops digits toward zero, likewise on the decimal text.
/// - GREATEST/LEAST ignore NULLs (NULL only when every argument is NULL).
/// - GEO_DISTANCE is the haversine distance on a sphere of radius 6371 km, or 3959 miles with the unit 'mi',
///   'mile' or 'miles' (any case; 'km', 'kilometer(s)', 'kilometre(s)', '' or NULL keep km, anything else is 22023);
///   latitudes must be within ±90 and longitudes within ±180.
/// - GENERATE_SERIES is inclusive of both ends; the step defaults to 1 or -1 toward the end; a zero step or one
///   pointing away from the end is 22023.
enum NumericFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register("ABS", body: FunctionSupport.strict(abs))
        library.register("CEIL") { types, result in roundingBody(.up, result) }
        library.register("FLOOR") { types, result in roundingBody(.down, result) }
        registerMath(in: &library)
        library.register("PI", body: { (_) throws(EvaluationError) -> Value in .double(Double.pi) })
        library.register("RANDOM", body: { (_) throws(EvaluationError) -> Value in .double(Double.random(in: 0..<1)) })
        library.register(
            "SIGN",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                let x = a.double(0) ?? 0
                return .int(x > 0 ? 1 : (x < 0 ? -1 : 0))
            })
        library.register("ROUND") { types, result in roundFactory(types, result) }
        library.register("TRUNC") { types, result in truncFactory(types, result) }
        library.register("GREATEST", body: extremum(sign: 1))
        library.register("LEAST", body: extremum(sign: -1))
        // Not strict: a NULL unit means kilometres, as in ksqlDB; a NULL coordinate gives NULL (geoDistance).
        library.register("GEO_DISTANCE", body: geoDistance)
        library.register("GENERATE_SERIES", body: FunctionSupport.strict(generateSeries))
    }

    // MARK: - ABS, CEIL, FLOOR

    static func abs(_ arguments: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        switch arguments[0] {
        case .int(let v):
            guard v != .min else { throw FunctionSupport.outOfRange("ABS(\(v))") }
            return .int(Swift.abs(v))
        case .bigint(let v):
            guard v != .min else { throw FunctionSupport.outOfRange("ABS(\(v))") }
            return .bigint(Swift.abs(v))
        case .double(let v): return .double(Swift.abs(v))
        case .decimal(let v): return .decimal(v.signum < 0 ? v.negated() : v)
        default: return .null
        }
    }

    static func roundingBody(_ rule: FloatingPointRoundingRule, _ resultType: DataType) -> ScalarFunctionBody {
        FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            switch a[0] {
            case .int, .bigint: return a[0]
            case .double(let v): return .double(v.rounded(rule))
            case .decimal(let v):
                let targetScale: Int
                if case .decimal(_, let s) = resultType { targetScale = s } else { targetScale = v.scale }
                return .decimal(
                    try decimalRound(v, places: 0, rule: rule == .up ? .ceiling : .floor, keepScale: targetScale))
            default: return .null
            }
        }
    }

    // MARK: - DOUBLE math

    static func registerMath(in library: inout ScalarFunctionLibrary) {
        let unary: [(String, @Sendable (Double) -> Double)] = [
            ("ACOS", { Glibc.acos($0) }), ("ASIN", { Glibc.asin($0) }), ("ATAN", { Glibc.atan($0) }),
            ("CBRT", { Glibc.cbrt($0) }), ("COS", { Glibc.cos($0) }), ("COSH", { Glibc.cosh($0) }),
            ("COT", { 1 / Glibc.tan($0) }), ("DEGREES", { $0 * 180 / Double.pi }), ("EXP", { Glibc.exp($0) }),
            ("LN", { Glibc.log($0) }), ("RADIANS", { $0 / 180 * Double.pi }), ("SIN", { Glibc.sin($0) }),
            ("SINH", { Glibc.sinh($0) }), ("SQRT", { $0.squareRoot() }), ("TAN", { Glibc.tan($0) }),
            ("TANH", { Glibc.tanh($0) }),
        ]
        for (name, function) in unary {
            library.register(
                name,
                body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                    guard let x = a.double(0) else { return .null }
                    return .double(function(x))
                })
        }
        library.register(
            "ATAN2",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let y = a.double(0), let x = a.double(1) else { return .null }
                return .double(Glibc.atan2(y, x))
            })
        library.register(
            "POWER",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let x = a.double(0), let y = a.double(1) else { return .null }
                return .double(Glibc.pow(x, y))
            })
        // LOG(x) is the natural logarithm; LOG(base, x) is ln(x) / ln(base), as ksqlDB computes it.
        library.register(
            "LOG",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                if a.count == 1 { return a.double(0).map { .double(Glibc.log($0)) } ?? .null }
                guard let base = a.double(0), let x = a.double(1) else { return .null }
                return .double(Glibc.log(x) / Glibc.log(base))
            })
    }

    // MARK: - ROUND and TRUNC

    /// How a decimal digit string is cut: ROUND's half toward +∞, TRUNC's toward zero, CEIL and FLOOR.
    enum DecimalRounding {
        case halfTowardPositive, towardZero, ceiling, floor
    }

    static func roundFactory(_ types: [DataType], _ resultType: DataType) -> ScalarFunctionBody? {
        FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            let places = a.count > 1 ? a.integer(1) ?? 0 : 0
            switch a[0] {
            case .int(let v) where a.count == 1: return .bigint(Int64(v))
            case .bigint where a.count == 1: return a[0]
            case .int, .bigint, .double:
                guard let x = a.double(0) else { return .null }
                let rounded = try doubleRound(x, places: places, rule: .halfTowardPositive)
                return a.count == 1 ? .bigint(try toInt64(rounded)) : .double(rounded)
            case .decimal(let v):
                var scale = 0
                if case .decimal(_, let s) = resultType { scale = s }
                return .decimal(try decimalRound(v, places: places, rule: .halfTowardPositive, keepScale: scale))
            default: return .null
            }
        }
    }

    static func truncFactory(_ types: [DataType], _ resultType: DataType) -> ScalarFunctionBody? {
        FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            guard let x = a.double(0) else { return .null }
            if a.count == 1 { return .bigint(try toInt64(x.rounded(.towardZero))) }
            return .double(try doubleRound(x, places: a.integer(1) ?? 0, rule: .towardZero))
        }
    }

    static func toInt64(_ x: Double) throws(EvaluationError) -> Int64 {
        guard x.isFinite, x >= -9_223_372_036_854_775_808.0, x < 9_223_372_036_854_775_808.0 else {
            throw FunctionSupport.outOfRange("\(NumberText.doubleText(x)) as BIGINT")
        }
        return Int64(x)
    }

    /// Rounds a double at `places` decimal places (negative: left of the point) using its shortest decimal text.
    static func doubleRound(_ x: Double, places: Int64, rule: DecimalRounding) throws(EvaluationError) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let places = Int(max(-400, min(400, places)))
        if Swift.abs(x) >= 1e15 {
            // Already an integer in binary; only a negative scale changes it.
            guard places < 0 else { return x }
            let unit = Glibc.pow(10.0, Double(-places))
            return apply(rule, x / unit) * unit
        }
        guard let decimal = try? SQLDecimal(parsing: x.description) else { return x }
        guard places < decimal.scale else { return x }
        let rounded = try decimalRound(decimal, places: Int64(places), rule: rule, keepScale: max(0, places))
        return rounded.doubleValue
    }

    static func apply(_ rule: DecimalRounding, _ x: Double) -> Double {
        switch rule {
        case .halfTowardPositive: (x + 0.5).rounded(.down)
        case .towardZero: x.rounded(.towardZero)
        case .ceiling: x.rounded(.up)
        case .floor: x.rounded(.down)
        }
    }

    /// `value` cut at `places` decimal places by `rule`, returned at scale `keepScale` (zeros appended).
    static func decimalRound(_ value: SQLDecimal, places: Int64, rule: DecimalRounding, keepScale: Int)
        throws(EvaluationError) -> SQLDecimal
    {
        let drop = Int64(value.scale) - places
        var unscaled = value.unscaled
        var scale = value.scale
        if drop > 0 {
            if drop > 38 {
                unscaled = roundedQuotient(unscaled, Int128(1), rule, isZeroDivisor: true)
            } else {
                var divisor: Int128 = 1
                for _ in 0..<drop { divisor *= 10 }
                unscaled = roundedQuotient(unscaled, divisor, rule, isZeroDivisor: false)
            }
            // unscaled now counts units of 10^-places; bring it back to a non-negative scale.
            if places >= 0 {
                scale = Int(places)
            } else if unscaled == 0 {
                scale = 0
            } else {
                guard -places <= 38 else { throw FunctionSupport.outOfRange("rounded decimal") }
                var multiplied = unscaled
                for _ in 0..<(-places) {
                    let (m, overflow) = multiplied.multipliedReportingOverflow(by: 10)
                    guard !overflow else { throw FunctionSupport.outOfRange("rounded decimal") }
                    multiplied = m
                }
                unscaled = multiplied
                scale = 0
            }
        }
        do throws(RelationalError) {
            return try SQLDecimal(unscaled: unscaled, scale: scale).rescaled(to: keepScale)
        } catch {
            throw FunctionSupport.mapped(error)
        }
    }

    /// unscaled / divisor rounded by `rule`. With `isZeroDivisor` (more than 38 digits dropped) every value
    /// rounds to 0 or ±1 unit.
    static func roundedQuotient(_ unscaled: Int128, _ divisor: Int128, _ rule: DecimalRounding, isZeroDivisor: Bool)
        -> Int128
    {
        let (q, r): (Int128, Int128) =
            isZeroDivisor ? (0, unscaled) : unscaled.quotientAndRemainder(dividingBy: divisor)
        guard r != 0 else { return q }
        switch rule {
        case .towardZero: return q
        case .ceiling: return r > 0 ? q + 1 : q
        case .floor: return r < 0 ? q - 1 : q
        case .halfTowardPositive:
            if isZeroDivisor { return 0 }
            let twice = r.magnitude * 2
            if r > 0 { return twice >= divisor.magnitude ? q + 1 : q }
            return twice > divisor.magnitude ? q - 1 : q
        }
    }

    // MARK: - GREATEST, LEAST

    static func extremum(sign: Int) -> ScalarFunctionBody {
        { (arguments) throws(EvaluationError) -> Value in
            var best: Value = .null
            for argument in arguments where !argument.isNull {
                if best.isNull || (Value.compare(argument, best) ?? 0) * sign > 0 { best = argument }
            }
            return best
        }
    }

    // MARK: - GEO_DISTANCE

    static func geoDistance(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let lat1 = a.double(0), let lon1 = a.double(1), let lat2 = a.double(2), let lon2 = a.double(3) else {
            return .null
        }
        var radius = 6371.0
        if let unit = a.string(4) {
            let name = unit.lowercased().trimmingPrefixAndSuffix(while: { $0 == " " })
            if ["mi", "mile", "miles"].contains(name) {
                radius = 3959
            } else if !["", "km", "kilometer", "kilometers", "kilometre", "kilometres"].contains(name) {
                throw FunctionSupport.invalid("GEO_DISTANCE: unknown unit '\(unit)'; use 'KM' or 'MI'")
            }
        }
        for lat in [lat1, lat2] where !(lat >= -90 && lat <= 90) {
            throw FunctionSupport.invalid("GEO_DISTANCE: latitude \(lat) is not within -90 and 90")
        }
        for lon in [lon1, lon2] where !(lon >= -180 && lon <= 180) {
            throw FunctionSupport.invalid("GEO_DISTANCE: longitude \(lon) is not within -180 and 180")
        }
        let rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad
        let dLon = (lon2 - lon1) * rad
        let h =
            Glibc.pow(Glibc.sin(dLat / 2), 2)
            + Glibc.cos(lat1 * rad) * Glibc.cos(lat2 * rad) * Glibc.pow(Glibc.sin(dLon / 2), 2)
        return .double(2 * radius * Glibc.asin(Swift.min(1, h.squareRoot())))
    }

    // MARK: - GENERATE_SERIES

    static func generateSeries(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let start = a.integer(0), let end = a.integer(1) else { return .null }
        let isInt: Bool
        if case .int = a[0] { isInt = true } else { isInt = false }
        var step: Int64 = end >= start ? 1 : -1
        if a.count > 2 {
            guard let given = a.integer(2) else { return .null }
            step = given
        }
        guard step != 0 else { throw FunctionSupport.invalid("GENERATE_SERIES step cannot be zero") }
        let (difference, overflow) = end.subtractingReportingOverflow(start)
        if overflow { throw FunctionSupport.tooLong("GENERATE_SERIES") }
        if (difference > 0 && step < 0) || (difference < 0 && step > 0) {
            throw FunctionSupport.invalid("GENERATE_SERIES step has the wrong sign")
        }
        let count = difference.magnitude / step.magnitude + 1  // magnitudes: Int64.min / -1 cannot trap
        guard count <= FunctionSupport.maxResultLength else { throw FunctionSupport.tooLong("GENERATE_SERIES") }
        var result: [Value] = []
        result.reserveCapacity(Int(count))
        var current = start
        for index in 0..<count {
            if index > 0 { current += step }  // stays between start and end: no overflow
            result.append(isInt ? .int(Int32(truncatingIfNeeded: current)) : .bigint(current))
        }
        return .array(result)
    }
}

extension String {
    /// The string without leading and trailing characters matching `predicate`.
    fileprivate func trimmingPrefixAndSuffix(while predicate: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !predicate($0) }), let last = lastIndex(where: { !predicate($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
