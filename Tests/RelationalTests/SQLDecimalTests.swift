import SluiceCore
import Testing

@testable import Relational

@Suite struct SQLDecimalTests {
    func d(_ text: String) throws(RelationalError) -> SQLDecimal { try SQLDecimal(parsing: text) }

    @Test(arguments: [
        ("0", "0", 0), ("-0", "0", 0), ("12.50", "12.50", 2), ("-0.001", "-0.001", 3), (".5", "0.5", 1),
        ("5.", "5", 0), ("1e3", "1000", 0), ("1.5E-2", "0.015", 3), ("+7", "7", 0), ("  3.14 ", "3.14", 2),
        ("99999999999999999999999999999999999999", "99999999999999999999999999999999999999", 0),
    ])
    func parsesAndFormats(text: String, expected: String, scale: Int) throws {
        let value = try d(text)
        #expect(value.description == expected)
        #expect(value.scale == scale)
    }

    @Test(arguments: ["", "abc", "1.2.3", "--1", "1e", "1e+", "e5", ".", "1x"])
    func rejectsBadText(text: String) {
        do {
            _ = try SQLDecimal(parsing: text)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.code == .invalidTextRepresentation)
        }
    }

    @Test func rejectsMoreThan38Digits() {
        do {
            _ = try SQLDecimal(parsing: "123456789012345678901234567890123456789")
            Issue.record("parsed 39 digits")
        } catch {
            #expect(error.code == .numericValueOutOfRange)
            #expect(error.sqlState == "22003")
        }
    }

    @Test func arithmetic() throws {
        #expect(try d("1.25").adding(d("2.5")).description == "3.75")
        #expect(try d("1.25").subtracting(d("2.5")).description == "-1.25")
        #expect(try d("1.5").multiplied(by: d("-2.25")).description == "-3.375")
        #expect(try d("1").divided(by: d("3"), scale: 6).description == "0.333333")
        #expect(try d("2").divided(by: d("3"), scale: 4).description == "0.6667")
        #expect(try d("-2").divided(by: d("3"), scale: 4).description == "-0.6667")
        // Products wider than 38 digits keep their integer part and round the fraction.
        #expect(
            try d("1000000000.0000000000").multiplied(by: d("1000000000.0000000000")).description
                == "1000000000000000000.0000000000000000000")
        #expect(
            try d("0.3333333333333333333333333333333333333").multiplied(by: d("3")).description
                == "0.9999999999999999999999999999999999999")
        #expect(
            try d("12345678901234567890.123").multiplied(by: d("98765432109876543.21")).description
                == "1219326311370217952249611949260778341.7")
        // Long division: the scaled dividend would not fit 128 bits, the quotient does.
        #expect(
            try d("99999999999999999999").divided(by: d("0.00000000001"), scale: 6).description
                == "9999999999999999999900000000000.000000")
        #expect(
            try d("1").divided(by: d("99999999999999999999999999999999999999"), scale: 38).description
                == "0.00000000000000000000000000000000000001")
        #expect(try d("-7").divided(by: d("2"), scale: 0).description == "-4")  // half away from zero
        #expect(try d("5").divided(by: d("12345678901234567890"), scale: 0).description == "0")
        #expect(try d("123.45").divided(by: d("0.5"), scale: 1).description == "246.9")
        #expect(try d("1.234").divided(by: d("2"), scale: 1).description == "0.6")
        #expect(try d("1.25").divided(by: d("-1"), scale: 1).description == "-1.3")
        #expect(try d("10.5").remainder(dividingBy: d("3")).description == "1.5")
        #expect(try d("-10.5").remainder(dividingBy: d("3")).description == "-1.5")
    }

    @Test func overflowIsAnErrorNotATrap() throws {
        let big = try d("99999999999999999999999999999999999999")
        for operation in [
            { try big.adding(big) }, { try big.multiplied(by: big) },
            { try big.subtracting(big.negated()).adding(big) },
        ] {
            do {
                _ = try operation()
                Issue.record("no overflow")
            } catch {
                #expect((error as? RelationalError)?.code == .numericValueOutOfRange)
            }
        }
        do {
            _ = try d("1").divided(by: .zero, scale: 2)
            Issue.record("no error")
        } catch {
            #expect(error.code == .divisionByZero)
            #expect(error.sqlState == "22012")
        }
    }

    @Test func roundingAndFitting() throws {
        #expect(try d("1.25").rescaled(to: 1).description == "1.3")
        #expect(try d("-1.25").rescaled(to: 1).description == "-1.3")
        #expect(try d("1.24").rescaled(to: 1).description == "1.2")
        #expect(try d("1.50").rescaled(to: 1, rounding: false).description == "1.5")
        #expect(throws: RelationalError.self) { try d("1.25").rescaled(to: 1, rounding: false) }
        #expect(try d("123.45").fits(precision: 5, scale: 2))
        #expect(try !d("1234.5").fits(precision: 5, scale: 2))
        #expect(try !d("1.234").fits(precision: 5, scale: 2))
        #expect(throws: RelationalError.self) { try d("1000").coerced(precision: 3, scale: 0) }
        #expect(try d("999.5").coerced(precision: 4, scale: 0).description == "1000")
    }

    @Test func equalityAndHashingAreNumeric() throws {
        #expect(try d("1.50") == d("1.5"))
        #expect(try d("1.50").hashValue == d("1.5").hashValue)
        #expect(try d("-0.1") < d("0"))
        #expect(try d("1.05") > d("1.0499999"))
        #expect(try SQLDecimal.compare(d("12"), d("11.999")) == 1)
        #expect(try SQLDecimal.compare(d("-12"), d("-11.999")) == -1)
        #expect(try d("12.340").digitCount == 5)
    }

    @Test func doubleConversions() throws {
        #expect(try d("0.1").doubleValue == 0.1)
        #expect(try d("-123.456").doubleValue == -123.456)
        #expect(try SQLDecimal(0.1, scale: 3).description == "0.100")
        #expect(try SQLDecimal(2.675, scale: 2).description == "2.68")
        #expect(throws: RelationalError.self) { try SQLDecimal(.nan, scale: 2) }
    }
}

@Suite struct SQLDecimalPropertyTests {
    func randomDecimal(_ random: inout SeededRandom) -> SQLDecimal {
        let unscaled = Int128(Int64(bitPattern: random.next()) >> UInt64(random.below(64)))
        return try! SQLDecimal(unscaled: unscaled, scale: random.below(12))
    }

    /// The reference: both values at a common scale, compared as integers (exact for these sizes).
    func referenceCompare(_ a: SQLDecimal, _ b: SQLDecimal) -> Int {
        let scale = max(a.scale, b.scale)
        let x = a.unscaled * SQLDecimal.powersOfTen[scale - a.scale]
        let y = b.unscaled * SQLDecimal.powersOfTen[scale - b.scale]
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    @Test func comparisonArithmeticAndTextAgreeWithReferences() throws {
        var random = SeededRandom(seed: 2718)
        for _ in 0..<20_000 {
            let a = randomDecimal(&random)
            let b = randomDecimal(&random)
            #expect(SQLDecimal.compare(a, b) == referenceCompare(a, b), "\(a) vs \(b)")
            #expect((a == b) == (a.hashValue == b.hashValue) || a != b)
            let sum = try a.adding(b)
            #expect(try sum.subtracting(b) == a)
            #expect(try a.multiplied(by: b) == b.multiplied(by: a))
            #expect(try SQLDecimal(parsing: a.description) == a)
            #expect(try SQLDecimal(parsing: a.description).scale == a.scale)
            if b.signum != 0 {
                // Against Double: the scale-12 quotient is within half a unit of the 12th digit (plus Double's
                // own relative error).
                let expected = a.doubleValue / b.doubleValue
                if abs(expected) < 1e25 {
                    let quotient = try a.divided(by: b, scale: 12)
                    #expect(abs(quotient.doubleValue - expected) <= 0.5e-12 + abs(expected) * 1e-15, "\(a) / \(b)")
                } else if abs(expected) > 1e27 {  // needs more than 38 digits at scale 12
                    #expect(throws: RelationalError.self) { try a.divided(by: b, scale: 12) }
                }
            }
        }
    }
}
