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
