import Testing

@testable import SQLSyntax

@Suite struct ExprTraversalTests {
    @Test func forEachVisitsParentsBeforeChildrenLeftToRight() throws {
        let expression = try Parser.parseExpression(
            "CASE WHEN a > 1 THEN f(b, x => x + c) ELSE LAG(d) OVER (PARTITION BY e ORDER BY g) END")
        var columns: [String] = []
        expression.forEach { node in
            if case .column(_, let name) = node.kind { columns.append(name.value) }
            return true
        }
        #expect(columns == ["A", "B", "X", "C", "D", "E", "G"])
    }

    @Test func returningFalseSkipsChildren() throws {
        let expression = try Parser.parseExpression("TRANSFORM(arr, x => x * k) + y")
        var columns: [String] = []
        expression.forEach { node in
            if case .lambda = node.kind { return false }
            if case .column(_, let name) = node.kind { columns.append(name.value) }
            return true
        }
        #expect(columns == ["ARR", "Y"])
    }

    @Test func containsFindsAggregates() throws {
        let having = try Parser.parseExpression("COUNT(*) > 1 AND k IS NOT NULL")
        #expect(having.contains { if case .function(let call) = $0.kind { call.star } else { false } })
        #expect(!having.contains { if case .parameter = $0.kind { true } else { false } })
        #expect(try Parser.parseExpression("1").children.isEmpty)
        #expect(try Parser.parseExpression("a BETWEEN b AND c").children.count == 3)
        #expect(try Parser.parseExpression("MAP('k' := v)").children.count == 2)
    }
}
