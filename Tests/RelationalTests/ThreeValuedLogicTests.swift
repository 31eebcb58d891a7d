import Testing

@testable import Relational

@Suite struct ThreeValuedLogicTests {
    // (lhs, rhs, AND, OR): SQL:2016 truth tables, NULL as nil.
    static let table: [(Bool?, Bool?, Bool?, Bool?)] = [
        (true, true, true, true), (true, false, false, true), (true, nil, nil, true),
        (false, true, false, true), (false, false, false, false), (false, nil, false, nil),
        (nil, true, nil, true), (nil, false, false, nil), (nil, nil, nil, nil),
    ]

    @Test func andOrTruthTables() {
        for (lhs, rhs, and, or) in Self.table {
            #expect(ThreeValuedLogic.and(lhs, rhs) == and, "\(String(describing: lhs)) AND \(String(describing: rhs))")
            #expect(ThreeValuedLogic.or(lhs, rhs) == or, "\(String(describing: lhs)) OR \(String(describing: rhs))")
        }
    }

    @Test func notAndIsTrue() {
        #expect(ThreeValuedLogic.not(true) == false)
        #expect(ThreeValuedLogic.not(false) == true)
        #expect(ThreeValuedLogic.not(nil) == nil)
        #expect(ThreeValuedLogic.isTrue(true))
        #expect(!ThreeValuedLogic.isTrue(nil))
        #expect(!ThreeValuedLogic.isTrue(false))
    }

    @Test func valueBridging() {
        #expect(Value(truth: nil) == .null)
        #expect(Value(truth: true) == .boolean(true))
        #expect(Value.null.truthValue == nil)
        #expect(Value.boolean(false).truthValue == false)
    }
}
