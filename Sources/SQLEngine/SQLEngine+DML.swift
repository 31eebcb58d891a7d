import Relational
import SQLPlanner
import Streams

extension SQLEngine {
    /// INSERT INTO … VALUES: the rows encoded in the target's formats and appended to its topic (one batch per
    /// partition). A NULL value column is not a tombstone (ksqlDB's rule).
    func insertValues(_ target: SourceDescription, _ rows: [PlannedStatement.InsertRow]) throws -> StatementResult {
        var batch = StreamBatch(columnCount: target.schema.count)
        var context = EvaluationContext()
        let one = EvaluationInput(columns: [], count: 1)
        for row in rows {
            for (i, e) in row.values.enumerated() {
                batch.columns[i].append(try evaluateConstant(e, one, &context))
            }
            let rowtime = try row.rowtime.map { try evaluateConstant($0, one, &context) }
            batch.timestamps.append(rowtime?.integerValue ?? clock.milliseconds())
            batch.ops.append(.insert)
            batch.offsets.append(-1)
        }
        var sink = try SinkEncoder(binding: StreamPlanner.binding(target), schema: target.schema, queryID: "INSERT")
        try sink.write(batch, to: client)
        return .command(tag: "INSERT 0 \(rows.count)", message: nil)
    }

    private func evaluateConstant(_ e: ScalarExpression, _ input: EvaluationInput, _ context: inout EvaluationContext) throws -> Value {
        let value = try CompiledExpression.compile(e, columnCount: 0, functions: functions).evaluate(input, context: &context)[0]
        if let error = context.errors.first?.value { throw EngineError(error.sqlState, error.message) }
        return value
    }

    /// DELETE FROM table WHERE key = … (or IN (…)): a tombstone per key, which the table's materialization and
    /// compaction apply.
    func delete(_ target: SourceDescription, _ predicate: ScalarExpression) throws -> StatementResult {
        guard let keys = Self.keyLookups(predicate, table: target) else {
            throw EngineError.notSupported("DELETE needs WHERE <key> = value or <key> IN (values) on \(target.name)'s PRIMARY KEY")
        }
        var batch = StreamBatch(columnCount: target.schema.count)
        let keyPosition = target.schema.indices(role: .key)[0]
        for key in keys {
            for i in 0..<target.schema.count { batch.columns[i].append(i == keyPosition ? key[0] : .null) }
            batch.ops.append(.delete)
            batch.timestamps.append(clock.milliseconds())
            batch.offsets.append(-1)
        }
        var sink = try SinkEncoder(binding: StreamPlanner.binding(target), schema: target.schema, queryID: "DELETE")
        try sink.write(batch, to: client)
        return .command(tag: "DELETE \(keys.count)", message: nil)
    }
}
