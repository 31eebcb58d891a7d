import Testing

@testable import Relational

@Suite struct ValueComparisonTests {
    @Test func nullMakesComparisonsUnknown() {
        #expect(Value.compare(.null, .int(1)) == nil)
        #expect(Value.compare(.int(1), .null) == nil)
        #expect(Value.compare(.null, .null) == nil)
        #expect(Value.sqlEquals(.null, .null) == nil)
        #expect(Value.sqlEquals(.array([.int(1), .null]), .array([.int(1), .null])) == nil)
        #expect(Value.sqlEquals(.array([.int(1), .null]), .array([.int(2), .null])) == false)
        #expect(Value.isNotDistinct(.null, .null))
        #expect(!Value.isNotDistinct(.null, .int(0)))
    }

    @Test func numbersCompareAcrossTypes() throws {
        #expect(Value.compare(.int(1), .bigint(1)) == 0)
        #expect(Value.compare(.int(2), .double(1.5)) == 1)
        #expect(Value.compare(.decimal(try SQLDecimal(parsing: "1.50")), .int(1)) == 1)
        #expect(Value.compare(.decimal(try SQLDecimal(parsing: "2.00")), .bigint(2)) == 0)
        #expect(Value.compare(.bigint(Int64.max), .bigint(Int64.max - 1)) == 1)
        #expect(Value.compare(.double(.nan), .double(.infinity)) == 1)
        #expect(Value.compare(.double(.nan), .double(.nan)) == 0)
        #expect(Value.compare(.double(-0.0), .double(0.0)) == 0)
    }

    @Test func otherTypes() {
        #expect(Value.compare(.string("a"), .string("b")) == -1)
        #expect(Value.compare(.string("é"), .string("z")) == 1)  // code point order
        #expect(Value.compare(.string("ab"), .string("a")) == 1)
        #expect(Value.compare(.bytes([1, 2]), .bytes([1, 3])) == -1)
        #expect(Value.compare(.boolean(false), .boolean(true)) == -1)
        #expect(Value.compare(.date(1), .timestamp(86_400_000)) == 0)
        #expect(Value.compare(.array([.int(1), .int(2)]), .array([.int(1)])) == 1)
        #expect(
            Value.compare(
                .map([.init(.string("a"), .int(1)), .init(.string("b"), .int(2))]),
                .map([.init(.string("b"), .int(2)), .init(.string("a"), .int(1))])) == 0)
    }

    @Test func orderByPutsNullsLastByDefault() {
        let values: [Value] = [.int(3), .null, .int(1), .double(.nan), .int(2), .null]
        let ascending = values.sorted { Value.orderingCompare($0, $1) < 0 }
        #expect(ascending == [.int(1), .int(2), .int(3), .double(.nan), .null, .null])
        let nullsFirst = values.sorted { Value.orderingCompare($0, $1, nulls: .nullsFirst) < 0 }
        #expect(nullsFirst == [.null, .null, .int(1), .int(2), .int(3), .double(.nan)])
        // Descending (PostgreSQL default NULLS FIRST for DESC): negate the comparison, flip the NULL placement.
        let descending = values.sorted { -Value.orderingCompare($0, $1, nulls: .nullsLast) < 0 }
        #expect(descending == [.null, .null, .double(.nan), .int(3), .int(2), .int(1)])
    }

    @Test func orderByKeysWithDirectionAndNullPlacement() {
        let values: [Value] = [.int(2), .null, .int(1), .int(3)]
        func sorted(_ descending: Bool, _ nulls: Value.NullOrdering?) -> [Value] {
            values.sorted { Value.orderingCompare($0, $1, descending: descending, nulls: nulls) < 0 }
        }
        #expect(sorted(false, nil) == [.int(1), .int(2), .int(3), .null])
        #expect(sorted(true, nil) == [.null, .int(3), .int(2), .int(1)])
        #expect(sorted(true, .nullsLast) == [.int(3), .int(2), .int(1), .null])
        #expect(sorted(false, .nullsFirst) == [.null, .int(1), .int(2), .int(3)])
        // Nested NULLs follow the same placement inside arrays.
        let arrays: [Value] = [.array([.int(1), .null]), .array([.int(1), .int(0)])]
        #expect(
            arrays.sorted { Value.orderingCompare($0, $1, descending: false) < 0 }.first == .array([.int(1), .int(0)]))
    }

    @Test func groupingIdentityAndHashing() throws {
        var groups: [Value: Int] = [:]
        let keys: [Value] = [
            .double(0.0), .double(-0.0), .double(.nan), .double(-.nan), .null, .null,
            .decimal(try SQLDecimal(parsing: "1.5")), .decimal(try SQLDecimal(parsing: "1.500")),
            .string("a"), .string("a"), .int(1), .bigint(1),
        ]
        for key in keys { groups[key, default: 0] += 1 }
        #expect(groups.count == 7)
        #expect(groups[.double(0)] == 2)
        #expect(groups[.double(.nan)] == 2)
        #expect(groups[.null] == 2)
        #expect(groups[.decimal(try SQLDecimal(parsing: "1.50"))] == 2)
        #expect(groups[.int(1)] == 1)
        #expect(groups[.bigint(1)] == 1)
    }
}

@Suite struct StringGroupingTests {
    @Test func stringsGroupByBytesNotCanonicalEquivalence() {
        let precomposed = Value.string("\u{E9}")
        let decomposed = Value.string("e\u{301}")
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed, precomposed]).count == 2)
        #expect(Value.compare(precomposed, decomposed) == 1)  // U+00E9 > U+0065
    }
}
