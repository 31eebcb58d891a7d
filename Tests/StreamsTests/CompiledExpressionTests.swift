import Relational
import SQLPlanner
import SQLSyntax
import Testing

@testable import Streams

/// Expressions parsed, bound by the planner and compiled, evaluated over small batches.
@Suite struct CompiledExpressionTests {
    static let columns = [
        Column("I", .int), Column("B", .bigint), Column("D", .double), Column("S", .string),
        Column("A", .array(.string)), Column("M", .map(key: .string, value: .int)),
        Column("T", .struct([.init("X", .int), .init("Y", .string)])),
    ]

    /// Rows: (1, 10, 1.5, 'apple', [a, bb, ccc], {k: 1}, {X 7, Y 'y'}), (NULL…), (-3, 0, 0.0, '', [], {}, {NULL, NULL}).
    static let rows: [[Value]] = [
        [.int(1), .bigint(10), .double(1.5), .string("apple"), .array([.string("a"), .string("bb"), .string("ccc")]),
         .map([.init(.string("k"), .int(1))]), .struct([.int(7), .string("y")])],
        Array(repeating: .null, count: 7),
        [.int(-3), .bigint(0), .double(0), .string(""), .array([]), .map([]), .struct([.null, .null])],
    ]

    func evaluate(_ sql: String, functions: ScalarFunctionLibrary = ScalarFunctionLibrary()) throws -> ([Value], EvaluationContext) {
        let bound = try Planner(catalog: Catalog()).bindExpression(try Parser.parseExpression(sql), columns: Self.columns)
        let compiled = try CompiledExpression.compile(bound, columnCount: Self.columns.count, functions: functions)
        let input = EvaluationInput(columns: (0..<Self.columns.count).map { c in Self.rows.map { $0[c] } }, count: Self.rows.count)
        var context = EvaluationContext()
        return (compiled.evaluate(input, context: &context), context)
    }

    func values(_ sql: String) throws -> [Value] { try evaluate(sql).0 }

    /// BIGINT arithmetic and comparison have inline kernels: over edge values (overflow, division by zero, NULL)
    /// they must give exactly what the general per-value path gives, errors included.
    @Test func bigintKernelsMatchTheGeneralPath() throws {
        let edges: [Value] = [.bigint(.min), .bigint(.min + 1), .bigint(-7), .bigint(-1), .bigint(0), .bigint(1), .bigint(3), .bigint(.max), .null]
        let pairs = edges.flatMap { a in edges.map { b in (a, b) } }
        let input = EvaluationInput(columns: [pairs.map(\.0), pairs.map(\.1)], count: pairs.count)
        let column = { (i: Int) in ScalarExpression(.column(i), .bigint) }
        for op in ArithmeticOperator.allCases {
            let compiled = try CompiledExpression.compile(
                ScalarExpression(.arithmetic(op, column(0), column(1)), .bigint), columnCount: 2, functions: ScalarFunctionLibrary())
            var context = EvaluationContext()
            let fast = compiled.evaluate(input, context: &context)
            for (row, (a, b)) in pairs.enumerated() {
                do {
                    let expected = try ExpressionCompiler.arithmetic(op, a, b, .bigint)
                    #expect(fast[row] == expected && context.errors[row] == nil, "\(a) \(op.rawValue) \(b)")
                } catch {
                    #expect(fast[row] == .null && context.errors[row]?.message == error.message, "\(a) \(op.rawValue) \(b)")
                }
            }
            #expect(!context.errors.isEmpty)  // overflow and division by zero are among the pairs
        }
        for op in [ComparisonOperator.equal, .notEqual, .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual] {
            let compiled = try CompiledExpression.compile(
                ScalarExpression(.comparison(op, column(0), column(1)), .boolean), columnCount: 2, functions: ScalarFunctionLibrary())
            var context = EvaluationContext()
            let fast = compiled.evaluate(input, context: &context)
            #expect(fast == pairs.map { ExpressionCompiler.compare(op, $0.0, $0.1) }, "\(op.rawValue)")
        }
    }

    @Test func arithmeticWidensAndPropagatesNull() throws {
        #expect(try values("I + 1") == [.int(2), .null, .int(-2)])
        #expect(try values("I + B") == [.bigint(11), .null, .bigint(-3)])
        #expect(try values("D * 2") == [.double(3), .null, .double(0)])
        #expect(try values("-I") == [.int(-1), .null, .int(3)])
    }

    @Test func divisionByZeroMakesTheRowNullAndIsRecorded() throws {
        let (result, context) = try evaluate("B / I")
        #expect(result == [.bigint(10), .null, .bigint(0)])
        let (zero, errors) = try evaluate("I / B")
        #expect(zero[0] == .int(0) || zero[0] == .bigint(0))
        #expect(zero[2] == .null)
        #expect(errors.errors[2]?.sqlState == "22012")
        #expect(context.errors.isEmpty)
    }

    @Test func comparisonsAndThreeValuedLogic() throws {
        #expect(try values("I > 0") == [.boolean(true), .null, .boolean(false)])
        #expect(try values("I > 0 AND S = 'apple'") == [.boolean(true), .null, .boolean(false)])
        #expect(try values("I > 0 OR S IS NULL") == [.boolean(true), .boolean(true), .boolean(false)])
        #expect(try values("NOT (I > 0)") == [.boolean(false), .null, .boolean(true)])
        #expect(try values("I BETWEEN -5 AND 1") == [.boolean(true), .null, .boolean(true)])
        #expect(try values("I IN (1, 2)") == [.boolean(true), .null, .boolean(false)])
        #expect(try values("I IN (2, NULL)") == [.null, .null, .null])
        #expect(try values("I IS DISTINCT FROM NULL") == [.boolean(true), .boolean(false), .boolean(true)])
    }

    @Test func likeWithWildcardsAndEscapes() throws {
        #expect(try values("S LIKE 'a%'") == [.boolean(true), .null, .boolean(false)])
        #expect(try values("S LIKE '_pp__'") == [.boolean(true), .null, .boolean(false)])
        #expect(try values("S NOT LIKE '%e'") == [.boolean(false), .null, .boolean(true)])
        #expect(LikePattern("100!%", escape: UInt8(ascii: "!")).matches("100%"))
        #expect(!LikePattern("100!%", escape: UInt8(ascii: "!")).matches("1000"))
        #expect(LikePattern("é_", escape: nil).matches("éa"))
        #expect(LikePattern("_b", escape: nil).matches("éb"))
        #expect(LikePattern("%%%a%", escape: nil).matches("xxa"))
    }

    @Test func caseEvaluatesOnlyTheBranchTaken() throws {
        #expect(try values("CASE WHEN I > 0 THEN 'pos' WHEN I < 0 THEN 'neg' ELSE 'none' END") == [.string("pos"), .string("none"), .string("neg")])
        // The division would fail for the row with B = 0, but that row takes the ELSE branch.
        let (result, context) = try evaluate("CASE WHEN B <> 0 THEN 100 / B ELSE -1 END")
        #expect(result == [.bigint(10), .bigint(-1), .bigint(-1)])
        #expect(context.errors.isEmpty)
    }

    @Test func structuredAccess() throws {
        #expect(try values("A[1]") == [.string("a"), .null, .null])
        #expect(try values("A[-1]") == [.string("ccc"), .null, .null])
        #expect(try values("A[4]") == [.null, .null, .null])
        #expect(try values("M['k']") == [.int(1), .null, .null])
        #expect(try values("T->X") == [.int(7), .null, .null])
        #expect(try values("ARRAY[I, 2]") == [.array([.int(1), .int(2)]), .array([.null, .int(2)]), .array([.int(-3), .int(2)])])
    }

    @Test func castsConvertOrFailPerRow() throws {
        #expect(try values("CAST(I AS VARCHAR)") == [.string("1"), .null, .string("-3")])
        let (result, context) = try evaluate("CAST(S AS INT)")
        #expect(result == [.null, .null, .null])
        #expect(context.errors[0]?.sqlState == "22P02")
    }

    @Test func lambdasOverArraysAndMaps() throws {
        var functions = ScalarFunctionLibrary()
        functions.register("LEN") { args throws(EvaluationError) in
            guard case .string(let s) = args[0] else { return .null }
            return .int(Int32(s.count))
        }
        functions.register("UCASE") { args throws(EvaluationError) in
            guard case .string(let s) = args[0] else { return .null }
            return .string(s.uppercased())
        }
        #expect(try evaluate("TRANSFORM(A, x => LEN(x))", functions: functions).0 == [.array([.int(1), .int(2), .int(3)]), .null, .array([])])
        #expect(try evaluate("FILTER(A, x => LEN(x) > I)", functions: functions).0 == [.array([.string("bb"), .string("ccc")]), .null, .array([])])
        #expect(try evaluate("REDUCE(A, 0, (s, x) => s + LEN(x))", functions: functions).0 == [.int(6), .null, .int(0)])
        #expect(try evaluate("TRANSFORM(A, x => TRANSFORM(ARRAY[x], y => UCASE(y)))", functions: functions).0[0]
            == .array([.array([.string("A")]), .array([.string("BB")]), .array([.string("CCC")])]))
        // Over a map the lambdas take (key, value); M is {k: 1}, NULL and {}.
        let m = { (key: String, value: Value) in Value.map([.init(.string(key), value)]) }
        #expect(try evaluate("TRANSFORM(M, (k, v) => UCASE(k), (k, v) => v + 5)", functions: functions).0
            == [m("K", .int(6)), .null, .map([])])
        #expect(try evaluate("TRANSFORM(M, (k, v) => k || k, (k, v) => LEN(k) + v * I)", functions: functions).0
            == [m("kk", .int(2)), .null, .map([])])
        #expect(try evaluate("FILTER(M, (k, v) => v >= I AND k = 'k')").0 == [m("k", .int(1)), .null, .map([])])
        #expect(try evaluate("FILTER(M, (k, v) => v > I)").0 == [.map([]), .null, .map([])])
        #expect(try evaluate("REDUCE(M, 10, (s, k, v) => s + v + LEN(k))", functions: functions).0
            == [.int(12), .null, .int(10)])
        #expect(try evaluate("REDUCE(M, '', (s, k, v) => s || k)").0 == [.string("k"), .null, .string("")])
        // Two entries with one new key: NULL and an error for that row, as ksqlDB's Collectors.toMap fails.
        let (values, context) = try evaluate("TRANSFORM(MAP('a' := 1, 'b' := I), (k, v) => 'x', (k, v) => v)")
        #expect(values == [.null, .null, .null])
        #expect(context.errors[0]?.sqlState == "22023")
        #expect(try evaluate("TRANSFORM(MAP('a' := 1, 'b' := I), (k, v) => k, (k, v) => v)").0[0]
            == .map([.init(.string("a"), .int(1)), .init(.string("b"), .int(1))]))
    }

    @Test func unknownFunctionIsAStartupErrorNotAPerRowOne() throws {
        #expect(throws: EvaluationError.self) { _ = try evaluate("UCASE(S)") }
    }
}
