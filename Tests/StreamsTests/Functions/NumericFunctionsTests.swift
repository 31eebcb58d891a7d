import Relational
import Streams
import Testing

@Suite struct NumericFunctionsTests {
    @Test func absKeepsTheType() {
        expectCall("ABS", [i(-3)], i(3))
        expectCall("ABS", [b(-3)], b(3))
        expectCall("ABS", [d(-2.5)], d(2.5))
        expectCall("ABS", [dec("-1.50")], dec("1.50"))
        expectCall("ABS", [null], null, types: [.int])
        expectError("ABS", [i(.min)], "22003")
        expectError("ABS", [b(.min)], "22003")
    }

    @Test func ceilAndFloor() {
        expectCall("CEIL", [d(1.2)], d(2))
        expectCall("CEIL", [d(-1.2)], d(-1))
        expectCall("FLOOR", [d(-1.2)], d(-2))
        expectCall("FLOOR", [i(7)], i(7))
        expectCall("CEIL", [dec("1.25")], dec("2.00"), result: .decimal(precision: 4, scale: 2))
        expectCall("FLOOR", [dec("-1.25")], dec("-2.00"), result: .decimal(precision: 4, scale: 2))
        expectCall("CEIL", [null], null, types: [.double])
        expectCall("FLOOR", [null], null, types: [.double])
    }

    @Test func mathFunctions() {
        expectDouble("ACOS", [d(1)], 0)
        expectDouble("ASIN", [d(1)], Double.pi / 2)
        expectDouble("ATAN", [d(1)], Double.pi / 4)
        expectDouble("ATAN2", [d(1), d(1)], Double.pi / 4)
        expectDouble("CBRT", [d(27)], 3)
        expectDouble("COS", [d(0)], 1)
        expectDouble("COSH", [d(0)], 1)
        expectDouble("COT", [d(Double.pi / 4)], 1)
        expectDouble("DEGREES", [d(Double.pi)], 180)
        expectDouble("EXP", [d(1)], 2.718281828459045)
        expectDouble("LN", [d(2.718281828459045)], 1)
        expectDouble("LOG", [d(100)], 4.605170185988092)
        expectDouble("LOG", [d(10), d(1000)], 3, tolerance: 1e-12)
        expectDouble("PI", [], Double.pi)
        expectDouble("POWER", [d(2), d(10)], 1024)
        expectDouble("RADIANS", [d(180)], Double.pi)
        expectDouble("SIN", [d(Double.pi / 2)], 1)
        expectDouble("SINH", [d(0)], 0)
        expectDouble("SQRT", [d(16)], 4)
        expectDouble("TAN", [d(0)], 0)
        expectDouble("TANH", [d(0)], 0)
        for name in [
            "ACOS", "ASIN", "ATAN", "CBRT", "COS", "COSH", "COT", "DEGREES", "EXP", "LN", "LOG", "RADIANS",
            "SIN", "SINH", "SQRT", "TAN", "TANH",
        ] {
            expectCall(name, [null], null, types: [.double])
        }
        expectCall("POWER", [d(2), null], null, types: [.double, .double])
        expectCall("ATAN2", [null, d(1)], null, types: [.double, .double])
        // Java's Math: domain errors are NaN, poles infinite.
        guard case .double(let nan)? = try? Fn.call("SQRT", [d(-1)]) else { Issue.record("SQRT(-1)"); return }
        #expect(nan.isNaN)
        expectCall("LN", [d(0)], d(-.infinity))
    }

    @Test func randomIsInTheUnitInterval() throws {
        for _ in 0..<100 {
            guard case .double(let x) = try Fn.call("RANDOM", []) else { Issue.record("not a double"); return }
            #expect(x >= 0 && x < 1)
        }
    }

    @Test func sign() {
        expectCall("SIGN", [d(-4)], i(-1))
        expectCall("SIGN", [d(0)], i(0))
        expectCall("SIGN", [d(0.1)], i(1))
        expectCall("SIGN", [null], null, types: [.double])
    }

    @Test func roundHalfTowardPositiveInfinity() {
        expectCall("ROUND", [d(2.5)], b(3))
        expectCall("ROUND", [d(-2.5)], b(-2))
        expectCall("ROUND", [d(-2.6)], b(-3))
        expectCall("ROUND", [i(7)], b(7))
        expectCall("ROUND", [b(7)], b(7))
        expectCall("ROUND", [d(1.005), i(2)], d(1.01))
        expectCall("ROUND", [d(1.234), i(1)], d(1.2))
        expectCall("ROUND", [d(1234.5), i(-2)], d(1200))
        expectCall("ROUND", [d(-0.125), i(2)], d(-0.12))
        expectCall("ROUND", [dec("1.25")], dec("1"), result: .decimal(precision: 2, scale: 0))
        expectCall("ROUND", [dec("-1.25"), i(1)], dec("-1.20"), result: .decimal(precision: 3, scale: 2))
        expectCall("ROUND", [dec("1.25"), i(1)], dec("1.30"), result: .decimal(precision: 3, scale: 2))
        expectCall("ROUND", [null], null, types: [.double])
        expectCall("ROUND", [d(1.5), null], null, types: [.double, .int])
        expectError("ROUND", [d(1e300)], "22003")
        expectCall("ROUND", [d(.infinity), i(2)], d(.infinity))
    }

    @Test func truncTowardZero() {
        expectCall("TRUNC", [d(2.7)], b(2))
        expectCall("TRUNC", [d(-2.7)], b(-2))
        expectCall("TRUNC", [d(1.239), i(2)], d(1.23))
        expectCall("TRUNC", [d(-1.239), i(2)], d(-1.23))
        expectCall("TRUNC", [d(1299), i(-2)], d(1200))
        expectCall("TRUNC", [null], null, types: [.double])
        expectError("TRUNC", [d(.nan)], "22003")
    }

    @Test func greatestAndLeastIgnoreNulls() {
        expectCall("GREATEST", [i(1), null, i(5), i(3)], i(5))
        expectCall("LEAST", [i(4), null, i(2)], i(2))
        expectCall("GREATEST", [s("apple"), s("pear")], s("pear"))
        expectCall("LEAST", [null, null], null)
        expectCall("GREATEST", [d(1.5), d(-2)], d(1.5))
    }

    @Test func geoDistance() {
        // London to Paris, about 343.5 km.
        expectDouble("GEO_DISTANCE", [d(51.5074), d(-0.1278), d(48.8566), d(2.3522)], 343.556, tolerance: 0.5)
        expectDouble("GEO_DISTANCE", [d(51.5074), d(-0.1278), d(48.8566), d(2.3522), s("MI")], 213.48, tolerance: 0.5)
        expectDouble("GEO_DISTANCE", [d(10), d(10), d(10), d(10), s("km")], 0)
        expectDouble("GEO_DISTANCE", [d(0), d(0), d(0), d(1), s(" Miles ")], 69.09, tolerance: 0.01)
        expectDouble("GEO_DISTANCE", [d(0), d(0), d(0), d(1), s("kilometres")], 111.19, tolerance: 0.01)
        expectError("GEO_DISTANCE", [d(0), d(0), d(0), d(1), s("minutes")], "22023")
        expectDouble(
            "GEO_DISTANCE", [d(0), d(0), d(0), d(1), null], 111.19, tolerance: 0.01,
            types: [.double, .double, .double, .double, .string])
        expectCall("GEO_DISTANCE", [null, d(0), d(0), d(0)], null, types: [.double, .double, .double, .double])
        expectError("GEO_DISTANCE", [d(91), d(0), d(0), d(0)], "22023")
        expectError("GEO_DISTANCE", [d(0), d(181), d(0), d(0)], "22023")
        expectError("GEO_DISTANCE", [d(0), d(0), d(0), d(0), s("parsecs")], "22023")
    }

    @Test func generateSeries() {
        expectCall("GENERATE_SERIES", [i(1), i(4)], arr(i(1), i(2), i(3), i(4)))
        expectCall("GENERATE_SERIES", [i(3), i(1)], arr(i(3), i(2), i(1)))
        expectCall("GENERATE_SERIES", [i(0), i(10), i(4)], arr(i(0), i(4), i(8)))
        expectCall("GENERATE_SERIES", [b(5), b(5)], arr(b(5)))
        expectCall("GENERATE_SERIES", [b(-2), b(2), i(2)], arr(b(-2), b(0), b(2)))
        expectCall("GENERATE_SERIES", [i(2147483646), i(2147483647)], arr(i(2147483646), i(2147483647)))
        expectCall("GENERATE_SERIES", [null, i(4)], null, types: [.int, .int])
        expectError("GENERATE_SERIES", [i(1), i(4), i(0)], "22023")
        expectError("GENERATE_SERIES", [i(1), i(4), i(-1)], "22023")
        expectError("GENERATE_SERIES", [b(.min), b(.max)], "54000")
        expectError("GENERATE_SERIES", [b(0), b(1_000_000_000)], "54000")
    }
}
