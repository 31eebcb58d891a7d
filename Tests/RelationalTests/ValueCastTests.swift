import Testing

@testable import Relational

/// Golden CAST table: (value, from, to, expected value or error code).
@Suite struct ValueCastTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case value(Value)
        case error(RelationalError.Code)
        var description: String {
            switch self {
            case .value(let v): "\(v)"
            case .error(let c): "error \(c)"
            }
        }
    }

    static func dec(_ text: String) -> Value { .decimal(try! SQLDecimal(parsing: text)) }

    static let golden: [(Value, DataType, DataType, Outcome)] = [
        // NULL and identity
        (.null, .int, .string, .value(.null)),
        (.int(5), .int, .int, .value(.int(5))),
        // to STRING
        (.int(-42), .int, .string, .value(.string("-42"))),
        (.bigint(9_007_199_254_740_993), .bigint, .string, .value(.string("9007199254740993"))),
        (.double(1.5), .double, .string, .value(.string("1.5"))),
        (.double(.nan), .double, .string, .value(.string("NaN"))),
        (.double(-.infinity), .double, .string, .value(.string("-Infinity"))),
        (dec("-0.050"), .decimal(precision: 4, scale: 3), .string, .value(.string("-0.050"))),
        (.boolean(true), .boolean, .string, .value(.string("true"))),
        (.date(19_782), .date, .string, .value(.string("2024-02-29"))),
        (.time(45_296_007), .time, .string, .value(.string("12:34:56.007"))),
        (.time(45_296_000), .time, .string, .value(.string("12:34:56"))),
        (.timestamp(0), .timestamp, .string, .value(.string("1970-01-01T00:00:00.000"))),
        (.timestamp(-1), .timestamp, .string, .value(.string("1969-12-31T23:59:59.999"))),
        (.array([.int(1), .null]), .array(.int), .string, .value(.string("[1,null]"))),
        (
            .struct([.string("x\"y"), .int(2)]), .struct([.init("A", .string), .init("b", .int)]), .string,
            .value(.string(#"{"A":"x\"y","b":2}"#))
        ),
        (.bytes([1]), .bytes, .string, .error(.cannotCoerce)),
        // from STRING
        (.string(" 42 "), .string, .int, .value(.int(42))),
        (.string("-2147483648"), .string, .int, .value(.int(.min))),
        (.string("2147483648"), .string, .int, .error(.numericValueOutOfRange)),
        (.string("9223372036854775807"), .string, .bigint, .value(.bigint(.max))),
        (.string("9223372036854775808"), .string, .bigint, .error(.numericValueOutOfRange)),
        (.string("1.5"), .string, .int, .error(.invalidTextRepresentation)),
        (.string("abc"), .string, .bigint, .error(.invalidTextRepresentation)),
        (.string(""), .string, .int, .error(.invalidTextRepresentation)),
        (.string("1e3"), .string, .double, .value(.double(1000))),
        (.string("-Infinity"), .string, .double, .value(.double(-.infinity))),
        (.string("0x10"), .string, .double, .error(.invalidTextRepresentation)),
        (.string("12.345"), .string, .decimal(precision: 5, scale: 2), .value(dec("12.35"))),
        (.string("1234.5"), .string, .decimal(precision: 5, scale: 2), .error(.numericValueOutOfRange)),
        (.string("TRUE"), .string, .boolean, .value(.boolean(true))),
        (.string("off"), .string, .boolean, .value(.boolean(false))),
        (.string("maybe"), .string, .boolean, .error(.invalidTextRepresentation)),
        (.string("2024-02-29"), .string, .date, .value(.date(19_782))),
        (.string("2023-02-29"), .string, .date, .error(.datetimeFieldOverflow)),
        (.string("2024-02-29T10:00:00"), .string, .date, .value(.date(19_782))),
        (.string("24-02-29"), .string, .date, .error(.invalidTextRepresentation)),
        (.string("12:34"), .string, .time, .value(.time(45_240_000))),
        (.string("12:34:56.1239"), .string, .time, .value(.time(45_296_123))),
        (.string("25:00"), .string, .time, .error(.datetimeFieldOverflow)),
        (.string("2017-11-17T04:53:45"), .string, .timestamp, .value(.timestamp(1_510_894_425_000))),
        (.string("2017-11-17 04:53:45.5Z"), .string, .timestamp, .value(.timestamp(1_510_894_425_500))),
        (.string("2017-11-17T06:53:45+02:00"), .string, .timestamp, .value(.timestamp(1_510_894_425_000))),
        (.string("2017-11-17"), .string, .timestamp, .value(.timestamp(1_510_876_800_000))),
        (.string("yesterday"), .string, .timestamp, .error(.invalidTextRepresentation)),
        (.string("[1]"), .string, .array(.int), .error(.cannotCoerce)),
        // numbers
        (.int(7), .int, .bigint, .value(.bigint(7))),
        (.bigint(3_000_000_000), .bigint, .int, .error(.numericValueOutOfRange)),
        (.bigint(-5), .bigint, .int, .value(.int(-5))),
        (.double(2.9), .double, .int, .value(.int(2))),
        (.double(-2.9), .double, .bigint, .value(.bigint(-2))),
        (.double(.nan), .double, .int, .error(.numericValueOutOfRange)),
        (.double(1e19), .double, .bigint, .error(.numericValueOutOfRange)),
        (.double(3e9), .double, .int, .error(.numericValueOutOfRange)),
        (dec("-12.99"), .decimal(precision: 4, scale: 2), .int, .value(.int(-12))),
        (.int(12), .int, .decimal(precision: 4, scale: 2), .value(dec("12.00"))),
        (.int(123), .int, .decimal(precision: 4, scale: 2), .error(.numericValueOutOfRange)),
        (.double(0.125), .double, .decimal(precision: 3, scale: 2), .value(dec("0.13"))),
        (.double(.infinity), .double, .decimal(precision: 3, scale: 2), .error(.numericValueOutOfRange)),
        (dec("1.005"), .decimal(precision: 4, scale: 3), .decimal(precision: 3, scale: 2), .value(dec("1.01"))),
        (dec("0.1"), .decimal(precision: 2, scale: 1), .double, .value(.double(0.1))),
        (.bigint(.max), .bigint, .double, .value(.double(9.223372036854775807e18))),
        // temporal
        (.date(1), .date, .timestamp, .value(.timestamp(86_400_000))),
        (.timestamp(-1), .timestamp, .date, .value(.date(-1))),
        (.timestamp(86_400_000 + 5), .timestamp, .time, .value(.time(5))),
        (.time(5), .time, .timestamp, .error(.cannotCoerce)),
        (.date(5), .date, .time, .error(.cannotCoerce)),
        // not allowed
        (.boolean(true), .boolean, .int, .error(.cannotCoerce)),
        (.int(1), .int, .boolean, .error(.cannotCoerce)),
        (.string("AQ=="), .string, .bytes, .error(.cannotCoerce)),
        (.int(1), .int, .date, .error(.cannotCoerce)),
        // compound
        (
            .array([.string("1"), .null, .string("3")]), .array(.string), .array(.int),
            .value(.array([.int(1), .null, .int(3)]))
        ),
        (.array([.string("x")]), .array(.string), .array(.int), .error(.invalidTextRepresentation)),
        (
            .map([.init(.string("a"), .int(1))]), .map(key: .string, value: .int), .map(key: .string, value: .double),
            .value(.map([.init(.string("a"), .double(1))]))
        ),
        (
            .struct([.int(1), .string("s")]), .struct([.init("A", .int), .init("B", .string)]),
            .struct([.init("B", .string), .init("C", .int), .init("A", .bigint)]),
            .value(.struct([.string("s"), .null, .bigint(1)]))
        ),
    ]

    @Test func goldenCasts() {
        for (value, from, to, expected) in Self.golden {
            let outcome: Outcome
            do { outcome = .value(try Value.cast(value, from: from, to: to)) } catch { outcome = .error(error.code) }
            #expect(outcome == expected, "CAST(\(value) AS \(to)) from \(from)")
        }
    }

    @Test func canCastAgreesWithCast() {
        for (value, from, to, expected) in Self.golden where !value.isNull && from != to {
            let refused = expected == .error(.cannotCoerce)
            #expect(Value.canCast(from: from, to: to) == !refused, "canCast \(from) → \(to)")
        }
    }

    @Test func errorsCarrySQLStates() {
        #expect(RelationalError.Code.invalidTextRepresentation.sqlState == "22P02")
        #expect(RelationalError.Code.numericValueOutOfRange.sqlState == "22003")
        #expect(RelationalError.Code.divisionByZero.sqlState == "22012")
        #expect(RelationalError.Code.cannotCoerce.sqlState == "42846")
        do {
            _ = try Value.cast(.string("x"), from: .string, to: .int)
            Issue.record("no error")
        } catch {
            #expect(error.message == #"invalid input syntax for type integer: "x""#)
        }
    }
}
