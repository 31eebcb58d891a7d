import Relational
import Testing

@testable import Streams

/// The aggregate state machines update their state in place; these pin the results of the paths that do so,
/// including SUM's integer fast path and its fall back to the general path at overflow.
@Suite struct AggregateFunctionTests {
    static func function(_ name: String, _ result: DataType, _ argument: DataType, constants: [Value?] = [nil]) -> AggregateFunction {
        AggregateFunction(name: name, resultType: result, argumentTypes: [argument], constants: constants)
    }

    static func fold(_ function: AggregateFunction, _ inputs: [Value]) throws -> Value {
        var state = function.initialState
        for x in inputs { try function.add([x], to: &state) }
        return function.result(state)
    }

    @Test func sumOfIntegersIntoBigint() throws {
        let sum = Self.function("SUM", .bigint, .int)
        #expect(try Self.fold(sum, [.int(1), .null, .int(-4), .bigint(10)]) == .bigint(7))
    }

    @Test func sumOverflowIsAnErrorNotAWrap() throws {
        let sum = Self.function("SUM", .bigint, .bigint)
        var state = sum.initialState
        try sum.add([.bigint(.max - 1)], to: &state)
        #expect(throws: EvaluationError.self) { try sum.add([.bigint(2)], to: &state) }
        #expect(sum.result(state) == .bigint(.max - 1))
    }

    @Test func sumOfDoublesTakesTheGeneralPath() throws {
        let sum = Self.function("SUM", .double, .double)
        #expect(try Self.fold(sum, [.double(1.5), .double(2.25)]) == .double(3.75))
    }

    @Test func minMaxAvgAndCount() throws {
        let inputs: [Value] = [.bigint(5), .null, .bigint(-2), .bigint(9)]
        #expect(try Self.fold(Self.function("MIN", .bigint, .bigint), inputs) == .bigint(-2))
        #expect(try Self.fold(Self.function("MAX", .bigint, .bigint), inputs) == .bigint(9))
        #expect(try Self.fold(Self.function("AVG", .double, .bigint), inputs) == .double(4))
        #expect(try Self.fold(Self.function("COUNT", .bigint, .bigint), inputs) == .bigint(3))
        #expect(try Self.fold(Self.function("MAX", .bigint, .bigint), [.null]) == .null)
    }

    @Test func countDistinctAndCollections() throws {
        let inputs: [Value] = [.string("a"), .string("b"), .string("a"), .null]
        #expect(try Self.fold(Self.function("COUNT_DISTINCT", .bigint, .string), inputs) == .bigint(2))
        #expect(try Self.fold(Self.function("COLLECT_SET", .array(.string), .string), inputs) == .array([.string("a"), .string("b")]))
        #expect(try Self.fold(Self.function("COLLECT_LIST", .array(.string), .string), inputs)
            == .array([.string("a"), .string("b"), .string("a")]))
    }

    @Test func latestAndEarliestByOffsetKeepTheirLastOrFirstN() throws {
        let latest = Self.function("LATEST_BY_OFFSET", .array(.bigint), .bigint, constants: [nil, .int(2)])
        let earliest = Self.function("EARLIEST_BY_OFFSET", .array(.bigint), .bigint, constants: [nil, .int(2)])
        let inputs: [Value] = [.bigint(1), .bigint(2), .null, .bigint(3)]
        #expect(try Self.fold(latest, inputs) == .array([.bigint(2), .bigint(3)]))
        #expect(try Self.fold(earliest, inputs) == .array([.bigint(1), .bigint(2)]))
        #expect(try Self.fold(Self.function("LATEST_BY_OFFSET", .bigint, .bigint), inputs) == .bigint(3))
    }

    @Test func avgTakesRowsBackOut() throws {
        let avg = Self.function("AVG", .double, .bigint)
        var state = avg.initialState
        for x: Int64 in [2, 4, 9] { try avg.add([.bigint(x)], to: &state) }
        try avg.remove([.bigint(9)], from: &state)
        #expect(avg.result(state) == .double(3))
    }

    @Test func anUnknownAggregateIsRefusedWith0A000() {
        let unknown = Self.function("NOT_AN_AGGREGATE", .bigint, .bigint)
        var state = unknown.initialState
        #expect { try unknown.add([.bigint(1)], to: &state) } throws: { ($0 as? EvaluationError)?.sqlState == "0A000" }
    }
}
