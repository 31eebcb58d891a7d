import Relational
import SluiceCore

/// The date and time functions (sql-features.md §5, "Date/time"). DATE is days since the epoch, TIME
/// milliseconds of the day, TIMESTAMP epoch milliseconds without a zone (`Value`).
///
/// - DATEADD/DATESUB give the day of (midnight + the amount in milliseconds), so DATEADD(HOURS, 25, d) is the next
///   day and DATEADD(HOURS, -1, d) the day before (ksqlDB's arithmetic, with floor rather than truncating division
///   before 1970). TIMEADD/TIMESUB wrap around midnight (computed in nanoseconds, then truncated to
///   milliseconds, as LocalTime does). TIMESTAMPADD/TIMESTAMPSUB add milliseconds. Overflow is 22008.
/// - The unit argument is the unit's name as a string (the binder passes the keyword): NANOSECONDS,
///   MICROSECONDS, MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS, singular or plural, any case.
/// - Patterns: `DateTimeFormat`. Zones: `TimeZoneRule` (UTC and fixed offsets only).
/// - UNIX_DATE() and UNIX_TIMESTAMP() without an argument read the library's clock (the system clock for
///   `ScalarFunctionLibrary.builtIn`, an injected one for `builtIn(clock:)`).
enum DateTimeFunctions {
    static func register(in library: inout ScalarFunctionLibrary, clock: any SluiceCore.Clock) {
        registerArithmetic(in: &library)
        registerFormatting(in: &library)
        registerParsing(in: &library)
        library.register(
            "CONVERT_TZ",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard case .timestamp(let ms) = a[0], let from = a.string(1), let to = a.string(2) else { return .null }
                let shift = Int64(try TimeZoneRule.offsetSeconds(to) - TimeZoneRule.offsetSeconds(from)) * 1000
                return .timestamp(try add(ms, shift))
            })
        library.register(
            "FROM_DAYS",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let days = a.integer(0) else { return .null }
                return .date(Int32(truncatingIfNeeded: days))
            })
        library.register(
            "FROM_UNIXTIME",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                a.integer(0).map { .timestamp($0) } ?? .null
            })
        library.register(
            "UNIX_DATE",
            body: { (a) throws(EvaluationError) -> Value in
                if a.count == 0 {
                    return .int(
                        Int32(
                            truncatingIfNeeded: CalendarMath.floorDivMod(
                                clock.milliseconds(), CalendarMath.msPerDay
                            ).0))
                }
                guard case .date(let days) = a[0] else { return .null }
                return .int(days)
            })
        library.register("NOW", body: { (_) throws(EvaluationError) -> Value in .timestamp(clock.milliseconds()) })
        library.register(
            "UNIX_TIMESTAMP",
            body: { (a) throws(EvaluationError) -> Value in
                if a.count == 0 { return .bigint(clock.milliseconds()) }
                guard case .timestamp(let ms) = a[0] else { return .null }
                return .bigint(ms)
            })
    }

    // MARK: - Units and arithmetic

    /// Nanoseconds per unit.
    static func unitNanos(_ name: String) throws(EvaluationError) -> Int64 {
        var upper = name.uppercased()
        if upper.hasSuffix("S") { upper.removeLast() }
        switch upper {
        case "NANOSECOND": return 1
        case "MICROSECOND": return 1_000
        case "MILLISECOND": return 1_000_000
        case "SECOND": return 1_000_000_000
        case "MINUTE": return 60_000_000_000
        case "HOUR": return 3_600_000_000_000
        case "DAY": return 86_400_000_000_000
        default: throw FunctionSupport.invalid("unknown time unit '\(name)'")
        }
    }

    /// `amount` units in units of `targetNanos` (milliseconds, days), truncated toward zero, overflow-checked.
    static func convert(_ amount: Int64, unit: String, toUnitOf targetNanos: Int64) throws(EvaluationError) -> Int64 {
        let nanos = try unitNanos(unit)
        if nanos >= targetNanos {
            let (product, overflow) = amount.multipliedReportingOverflow(by: nanos / targetNanos)
            guard !overflow else { throw overflowError() }
            return product
        }
        return amount / (targetNanos / nanos)
    }

    static func overflowError() -> EvaluationError { EvaluationError("22008", "date/time value out of range") }

    static func add(_ a: Int64, _ b: Int64) throws(EvaluationError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw overflowError() }
        return sum
    }

    static func negated(_ value: Int64, _ subtract: Bool) throws(EvaluationError) -> Int64 {
        guard subtract else { return value }
        guard value != .min else { throw overflowError() }
        return -value
    }

    static func registerArithmetic(in library: inout ScalarFunctionLibrary) {
        for (name, subtract) in [("DATEADD", false), ("DATESUB", true)] {
            library.register(
                name,
                body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                    guard let unit = a.string(0), let amount = a.integer(1), case .date(let days) = a[2] else {
                        return .null
                    }
                    // ksqlDB: the day of (midnight + amount in milliseconds); floor division keeps dates before
                    // 1970 consistent where Java's truncating TimeUnit.toDays would not.
                    let delta = try negated(try convert(amount, unit: unit, toUnitOf: 1_000_000), subtract)
                    let total = try add(Int64(days) * CalendarMath.msPerDay, delta)
                    guard let result = Int32(exactly: CalendarMath.floorDivMod(total, CalendarMath.msPerDay).0) else {
                        throw overflowError()
                    }
                    return .date(result)
                })
        }
        for (name, subtract) in [("TIMEADD", false), ("TIMESUB", true)] {
            library.register(
                name,
                body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                    guard let unit = a.string(0), let amount = a.integer(1), case .time(let ms) = a[2] else {
                        return .null
                    }
                    // In nanoseconds modulo one day, as LocalTime.plus wraps; the amount is reduced modulo a day
                    // first so that no product overflows.
                    let dayNanos = CalendarMath.msPerDay * 1_000_000
                    let perUnit = try unitNanos(unit)
                    let reduced = (amount % (dayNanos / perUnit)) * perUnit
                    let nanos = Int64(ms) * 1_000_000 + (subtract ? -reduced : reduced)
                    return .time(Int32(CalendarMath.floorDivMod(nanos, dayNanos).1 / 1_000_000))
                })
        }
        for (name, subtract) in [("TIMESTAMPADD", false), ("TIMESTAMPSUB", true)] {
            library.register(
                name,
                body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                    guard let unit = a.string(0), let amount = a.integer(1), case .timestamp(let ms) = a[2] else {
                        return .null
                    }
                    let delta = try negated(try convert(amount, unit: unit, toUnitOf: 1_000_000), subtract)
                    return .timestamp(try add(ms, delta))
                })
        }
    }

    // MARK: - Formatting

    static func registerFormatting(in library: inout ScalarFunctionLibrary) {
        library.register(
            "FORMAT_DATE",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard case .date(let days) = a[0], let pattern = a.string(1) else { return .null }
                return .string(try formatDate(Int64(days), pattern))
            })
        library.register(
            "DATETOSTRING",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let days = a.integer(0), let pattern = a.string(1) else { return .null }
                return .string(try formatDate(days, pattern))
            })
        library.register(
            "FORMAT_TIME",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard case .time(let ms) = a[0], let pattern = a.string(1) else { return .null }
                let format = try DateTimeFormat.compiled(pattern)
                guard !format.hasDateFields else {
                    throw FunctionSupport.invalid("FORMAT_TIME: pattern '\(pattern)' has date fields")
                }
                return .string(format.format(localMs: Int64(ms), offsetSeconds: 0))
            })
        library.register(
            "FORMAT_TIMESTAMP",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard case .timestamp(let ms) = a[0], let pattern = a.string(1) else { return .null }
                return .string(try formatTimestamp(ms, pattern, zone: a.string(2)))
            })
        library.register(
            "TIMESTAMPTOSTRING",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let ms = a.integer(0), let pattern = a.string(1) else { return .null }
                return .string(try formatTimestamp(ms, pattern, zone: a.string(2)))
            })
    }

    static func formatDate(_ days: Int64, _ pattern: String) throws(EvaluationError) -> String {
        let format = try DateTimeFormat.compiled(pattern)
        guard !format.hasTimeFields, !format.hasOffsetFields else {
            throw FunctionSupport.invalid("pattern '\(pattern)' has time fields; a DATE has none")
        }
        let (ms, overflow) = days.multipliedReportingOverflow(by: CalendarMath.msPerDay)
        guard !overflow else { throw overflowError() }
        return format.format(localMs: ms, offsetSeconds: 0)
    }

    static func formatTimestamp(_ ms: Int64, _ pattern: String, zone: String?) throws(EvaluationError) -> String {
        let format = try DateTimeFormat.compiled(pattern)
        let offset = try zone.map { (z) throws(EvaluationError) in try TimeZoneRule.offsetSeconds(z) } ?? 0
        return format.format(localMs: try add(ms, Int64(offset) * 1000), offsetSeconds: offset)
    }

    // MARK: - Parsing

    static func registerParsing(in library: inout ScalarFunctionLibrary) {
        library.register(
            "PARSE_DATE",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                return .date(try parseDate(text, pattern))
            })
        library.register(
            "STRINGTODATE",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                return .int(try parseDate(text, pattern))
            })
        library.register(
            "PARSE_TIME",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                let format = try DateTimeFormat.compiled(pattern)
                let ms = try DateTimeFormat.localMilliseconds(try format.parse(text), text: text)
                return .time(Int32(CalendarMath.floorDivMod(ms, CalendarMath.msPerDay).1))
            })
        library.register(
            "PARSE_TIMESTAMP",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                return .timestamp(try parseTimestamp(text, pattern, zone: a.string(2)))
            })
        library.register(
            "STRINGTOTIMESTAMP",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0), let pattern = a.string(1) else { return .null }
                return .bigint(try parseTimestamp(text, pattern, zone: a.string(2)))
            })
    }

    static func parseDate(_ text: String, _ pattern: String) throws(EvaluationError) -> Int32 {
        let format = try DateTimeFormat.compiled(pattern)
        let ms = try DateTimeFormat.localMilliseconds(try format.parse(text), text: text)
        guard let days = Int32(exactly: CalendarMath.floorDivMod(ms, CalendarMath.msPerDay).0) else {
            throw overflowError()
        }
        return days
    }

    /// The instant a text names: its own offset when the pattern has one, else the zone argument, else UTC.
    static func parseTimestamp(_ text: String, _ pattern: String, zone: String?) throws(EvaluationError) -> Int64 {
        let format = try DateTimeFormat.compiled(pattern)
        let parsed = try format.parse(text)
        let local = try DateTimeFormat.localMilliseconds(parsed, text: text)
        let zoneOffset = try zone.map { (z) throws(EvaluationError) in try TimeZoneRule.offsetSeconds(z) } ?? 0
        return try add(local, -Int64(parsed.offsetSeconds ?? zoneOffset) * 1000)
    }
}
