import Relational
import SQLPlanner
import SQLSyntax
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

extension SQLEngine {
    /// The columns COPY … FROM STDIN fills by default: every column of `source`, in order.
    public func copyColumns(_ source: String, _ columns: [String]?) throws(EngineError) -> [String] {
        let description = try self.source(named: source)
        guard let columns else { return description.schema.columns.map(\.name) }
        let names = columns.map { $0.uppercased() }
        for name in names where name != "ROWTIME" && description.schema.column(named: name) == nil {
            throw EngineError("42703", "column \(name) of \(description.name) does not exist")
        }
        return names
    }

    /// COPY … FROM STDIN: rows of text fields (nil is NULL) cast to the columns' types and appended to the source's
    /// topic, as INSERT … VALUES does. `firstLine` numbers the rows in errors. Returns the rows appended.
    public func appendText(to source: String, columns: [String], rows: [[String?]], firstLine: Int) throws(EngineError) -> Int {
        let target = try self.source(named: source)
        var batch = StreamBatch(columnCount: target.schema.count)
        let positions = columns.map { target.schema.index(of: $0) }
        let rowtime = columns.firstIndex(of: "ROWTIME")
        for (r, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw EngineError("22P04", "line \(firstLine + r): \(row.count) fields for \(columns.count) columns")
            }
            var values = [Value](repeating: .null, count: target.schema.count)
            var time = clock.milliseconds()
            for (i, field) in row.enumerated() {
                guard let field else { continue }
                do {
                    if i == rowtime {
                        time = try Value.cast(.string(field), from: .string, to: .bigint).integerValue ?? time
                    } else if let p = positions[i] {
                        values[p] = try Value.cast(.string(field), from: .string, to: target.schema[p].type)
                    }
                } catch {
                    throw EngineError(error.sqlState, "line \(firstLine + r), column \(columns[i]): \(error.message)")
                }
            }
            for (c, v) in values.enumerated() { batch.columns[c].append(v) }
            batch.timestamps.append(time)
            batch.ops.append(.insert)
            batch.offsets.append(-1)
        }
        do {
            var sink = try SinkEncoder(binding: StreamPlanner.binding(target), schema: target.schema, queryID: "COPY")
            try sink.write(batch, to: client)
        } catch {
            throw EngineError.from(error)
        }
        return rows.count
    }

    private func source(named name: String) throws(EngineError) -> SourceDescription {
        do {
            return try lock.withLock { try catalog.source(Identifier(name)) }
        } catch let error as PlanError {
            throw EngineError(error.sqlState, error.message, hint: error.hint)
        } catch {
            throw EngineError.from(error)
        }
    }
}
