import Testing

@testable import Relational

@Suite struct RowBatchTests {
    let schema = Schema([
        Column("K", .string, role: .key), Column("V", .int), Schema.rowtime,
    ])

    @Test func schemaLookups() {
        #expect(schema.index(of: "V") == 1)
        #expect(schema.index(of: "v") == nil)
        #expect(schema.indices(role: .key) == [0])
        #expect(schema.columns(role: .pseudo).map(\.name) == ["ROWTIME"])
        #expect(schema.description == "(`K` STRING KEY, `V` INTEGER, `ROWTIME` BIGINT PSEUDO)")
    }

    @Test func appendsSelectsAndProjects() {
        var batch = RowBatch(schema: schema, capacity: 4)
        batch.append([.string("a"), .int(1), .bigint(10)])
        batch.append(Row([.string("b"), .null, .bigint(11)]), op: .updateBefore)
        batch.append([.string("b"), .int(3), .bigint(11)], op: .updateAfter)
        #expect(batch.count == 3)
        #expect(batch.columns[1] == [.int(1), .null, .int(3)])
        #expect(batch.row(2) == [.string("b"), .int(3), .bigint(11)])
        let selected = batch.selecting([2, 0])
        #expect(selected.rows == [[.string("b"), .int(3), .bigint(11)], [.string("a"), .int(1), .bigint(10)]])
        #expect(selected.ops == [.updateAfter, .insert])
        let projected = batch.projecting(schema: Schema([Column("V", .int)]), columns: [batch.columns[1]])
        #expect(projected.rows == [[.int(1)], [.null], [.int(3)]])
        #expect(projected.ops == batch.ops)
        batch.removeAll()
        #expect(batch.isEmpty && batch.columns.allSatisfy(\.isEmpty))
    }

    @Test func changeOps() {
        #expect(ChangeOp.insert.isAddition && ChangeOp.updateAfter.isAddition)
        #expect(!ChangeOp.delete.isAddition && !ChangeOp.updateBefore.isAddition)
        #expect(ChangeOp.allCases.allSatisfy { $0.inverse.inverse == $0 })
        #expect(ChangeOp.insert.inverse == .delete)
    }
}
