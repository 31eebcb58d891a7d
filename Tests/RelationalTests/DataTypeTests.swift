import Testing

@testable import Relational

@Suite struct DataTypeTests {
    @Test func canonicalSpelling() {
        #expect(DataType.int.description == "INTEGER")
        #expect(DataType.decimal(precision: 10, scale: 2).description == "DECIMAL(10, 2)")
        #expect(DataType.map(key: .string, value: .array(.bigint)).description == "MAP<STRING, ARRAY<BIGINT>>")
        #expect(
            DataType.struct([.init("a", .int), .init("B", .timestamp)]).description
                == "STRUCT<`a` INTEGER, `B` TIMESTAMP>")
    }

    @Test func checkedDecimal() throws {
        #expect(try DataType.checkedDecimal(precision: 38, scale: 0) == .decimal(precision: 38, scale: 0))
        #expect(throws: RelationalError.self) { try DataType.checkedDecimal(precision: 39, scale: 0) }
        #expect(throws: RelationalError.self) { try DataType.checkedDecimal(precision: 3, scale: 4) }
        #expect(throws: RelationalError.self) { try DataType.checkedDecimal(precision: 0, scale: 0) }
    }

    @Test(arguments: [
        (DataType.int, DataType.bigint, DataType?.some(.bigint)),
        (.int, .double, .double),
        (.bigint, .double, .double),
        (.int, .decimal(precision: 5, scale: 2), .decimal(precision: 12, scale: 2)),
        (.bigint, .decimal(precision: 4, scale: 4), .decimal(precision: 23, scale: 4)),
        (.decimal(precision: 5, scale: 2), .decimal(precision: 7, scale: 1), .decimal(precision: 8, scale: 2)),
        (.decimal(precision: 5, scale: 2), .double, .double),
        (.date, .timestamp, .timestamp),
        (.array(.int), .array(.bigint), .array(.bigint)),
        (.string, .int, nil),
        (.boolean, .int, nil),
        (.string, .bytes, nil),
    ])
    func commonSuperType(lhs: DataType, rhs: DataType, expected: DataType?) {
        #expect(DataType.commonSuperType(lhs, rhs) == expected)
        #expect(DataType.commonSuperType(rhs, lhs) == expected)
    }

    @Test func widening() {
        #expect(DataType.canWiden(from: .int, to: .bigint))
        #expect(DataType.canWiden(from: .int, to: .decimal(precision: 10, scale: 0)))
        #expect(!DataType.canWiden(from: .int, to: .decimal(precision: 9, scale: 0)))
        #expect(DataType.canWiden(from: .decimal(precision: 30, scale: 3), to: .double))
        #expect(!DataType.canWiden(from: .double, to: .bigint))
        #expect(!DataType.canWiden(from: .bigint, to: .int))
    }

    @Test func arithmeticResultTypes() {
        let d52 = DataType.decimal(precision: 5, scale: 2)
        let d31 = DataType.decimal(precision: 3, scale: 1)
        #expect(ArithmeticOperator.add.resultType(.int, .int) == .int)
        #expect(ArithmeticOperator.add.resultType(.int, .bigint) == .bigint)
        #expect(ArithmeticOperator.divide.resultType(.int, .double) == .double)
        #expect(ArithmeticOperator.add.resultType(d52, d31) == .decimal(precision: 6, scale: 2))
        #expect(ArithmeticOperator.multiply.resultType(d52, d31) == .decimal(precision: 9, scale: 3))
        #expect(ArithmeticOperator.divide.resultType(d52, d31) == .decimal(precision: 10, scale: 6))
        #expect(ArithmeticOperator.modulo.resultType(d52, d31) == .decimal(precision: 4, scale: 2))
        #expect(
            ArithmeticOperator.multiply.resultType(
                .decimal(precision: 38, scale: 10), .decimal(precision: 38, scale: 10))
                == .decimal(precision: 38, scale: 0))
        #expect(ArithmeticOperator.add.resultType(.string, .int) == nil)
    }

    @Test func valueArithmetic() throws {
        #expect(try Value.arithmetic(.add, .int(2), .int(3), resultType: .int) == .int(5))
        #expect(try Value.arithmetic(.divide, .int(7), .int(-2), resultType: .int) == .int(-3))
        #expect(try Value.arithmetic(.modulo, .int(-7), .int(2), resultType: .int) == .int(-1))
        #expect(try Value.arithmetic(.add, .int(1), .null, resultType: .int) == .null)
        #expect(try Value.arithmetic(.multiply, .int(3), .bigint(5), resultType: .bigint) == .bigint(15))
        #expect(try Value.arithmetic(.divide, .double(1), .int(0), resultType: .double) == .double(.infinity))
        let d = try SQLDecimal(parsing: "1.50")
        #expect(
            try Value.arithmetic(.add, .decimal(d), .int(1), resultType: .decimal(precision: 13, scale: 2))
                == .decimal(try SQLDecimal(parsing: "2.50")))
        #expect(
            try Value.arithmetic(.divide, .decimal(d), .int(7), resultType: .decimal(precision: 20, scale: 6))
                .description == "0.214286")
        for (op, a, b, type, code) in [
            (
                ArithmeticOperator.add, Value.int(.max), Value.int(1), DataType.int,
                RelationalError.Code.numericValueOutOfRange
            ),
            (.multiply, .bigint(.max), .bigint(2), .bigint, .numericValueOutOfRange),
            (.divide, .int(.min), .int(-1), .int, .numericValueOutOfRange),
            (.divide, .bigint(1), .bigint(0), .bigint, .divisionByZero),
            (.modulo, .int(1), .int(0), .int, .divisionByZero),
            (.divide, .decimal(d), .int(0), .decimal(precision: 10, scale: 2), .divisionByZero),
        ] {
            do {
                _ = try Value.arithmetic(op, a, b, resultType: type)
                Issue.record("\(a) \(op.rawValue) \(b) did not fail")
            } catch {
                #expect(error.code == code)
            }
        }
    }
}
