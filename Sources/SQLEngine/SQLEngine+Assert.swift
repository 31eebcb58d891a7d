import Broker
import Relational
import SQLPlanner
import SQLSyntax
import SluiceCore
import Streams

extension SQLEngine {
    /// How long ASSERT VALUES waits for the next record (queries run asynchronously).
    static let assertTimeoutMilliseconds = 10_000

    /// ASSERT VALUES / ASSERT NULL VALUES (ksqlDB's test-runner statements): the next record of the source's topic,
    /// read in order through a cursor kept in the session, must carry these values (or be a tombstone for these key
    /// values). ASSERT STREAM/TABLE: the source exists with this kind and these columns. Failures are SQLSTATE P0004.
    func assertValues(_ assertion: Statement.AssertValues, session: inout SessionState) throws -> StatementResult {
        let source = try lock.withLock { try catalog.source(assertion.source) }
        let names = assertion.columns.isEmpty ? source.schema.columns.map(\.name) : assertion.columns.map(\.value)
        guard names.count == assertion.values.count else {
            throw EngineError("42601", "ASSERT VALUES lists \(names.count) columns and \(assertion.values.count) values")
        }
        var expected: [(String, Value)] = []
        for (name, expr) in zip(names, assertion.values) {
            let type: DataType
            if name == "ROWTIME" {
                type = .bigint
            } else if let column = source.schema.column(named: name) {
                type = column.type
            } else {
                throw EngineError("42703", "column \(name) does not exist in \(source.name)")
            }
            let bound = try lock.withLock { try Planner(catalog: catalog).bindExpression(expr, columns: []) }
            var context = EvaluationContext()
            let value = try CompiledExpression.compile(bound, columnCount: 0, functions: functions)
                .evaluate(EvaluationInput(columns: [], count: 1), context: &context)[0]
            expected.append((name, bound.type == type || value.isNull ? value : try Value.cast(value, from: bound.type, to: type)))
        }
        let (row, op, timestamp) = try nextRecord(of: source, session: &session)
        if assertion.isNull {
            guard op == .delete else {
                throw EngineError("P0004", "expected a tombstone in \(source.name), got \(Self.describe(row, source))")
            }
        } else if op == .delete {
            throw EngineError("P0004", "expected \(Self.describe(expected)) in \(source.name), got a tombstone")
        }
        for (name, value) in expected {
            let actual: Value = name == "ROWTIME" ? .bigint(timestamp) : row[source.schema.index(of: name)!]
            guard Value.isNotDistinct(actual, value) || Value.compare(actual, value) == 0 else {
                throw EngineError("P0004", "expected \(Self.describe(expected)) in \(source.name), got \(Self.describe(row, source)) (ROWTIME \(timestamp)): \(name) is \(actual), not \(value)")
            }
        }
        return .command(tag: "ASSERT", message: nil)
    }

    /// The record at the session's cursor for `source` (the lowest partition that has one), waiting for it.
    private func nextRecord(of source: SourceDescription, session: inout SessionState) throws -> ([Value], ChangeOp, Int64) {
        let binding = StreamPlanner.binding(source)
        var cursors = session.assertionCursors[source.topic] ?? [:]
        let deadline = clock.monotonicNanoseconds() + UInt64(Self.assertTimeoutMilliseconds) * 1_000_000
        while true {
            let sequence = client.dataSequence
            for p in 0..<source.partitions {
                let tp = TopicPartition(source.topic, Int32(p))
                let start = try client.offsets(of: tp).start
                let cursor = cursors[Int32(p)] ?? start
                let records = try client.fetch(tp, from: cursor, maxBytes: 64 << 10)
                guard !records.isEmpty else { continue }
                var decoder = try SourceDecoder(binding: binding, partition: Int32(p), queryID: "ASSERT")
                var batch = StreamBatch(columnCount: decoder.columnCount)
                try decoder.decode(records, from: cursor, into: &batch, log: nil)
                guard batch.count > 0 else {
                    if let next = records.nextOffset { cursors[Int32(p)] = next }
                    continue
                }
                cursors[Int32(p)] = batch.offsets[0] + 1
                session.assertionCursors[source.topic] = cursors
                return (Array(batch.row(0).prefix(source.schema.count)), batch.ops[0], batch.timestamps[0])
            }
            guard clock.monotonicNanoseconds() < deadline else {
                throw EngineError("P0004", "expected another record in \(source.name), but none arrived within \(Self.assertTimeoutMilliseconds / 1000) s")
            }
            _ = client.waitForData(after: sequence, timeoutMilliseconds: 100)
        }
    }

    func assertSource(_ assertion: Statement.AssertSource) throws -> StatementResult {
        guard let source = lock.withLock({ catalog.sources[assertion.name.value] }) else {
            throw EngineError("P0004", "expected \(assertion.kind.rawValue.lowercased()) \(assertion.name.value) to exist")
        }
        guard source.kind.rawValue == assertion.kind.rawValue else {
            throw EngineError("P0004", "expected \(assertion.name.value) to be a \(assertion.kind.rawValue.lowercased()), it is a \(source.kind.rawValue.lowercased())")
        }
        if !assertion.elements.isEmpty {
            let expected = try assertion.elements.map { element in
                "\(element.name.value) \(try lock.withLock { try catalog.resolve(element.type) })\(element.constraint != nil && element.constraint != .headers ? " KEY" : "")"
            }
            let actual = source.schema.columns.map { "\($0.name) \($0.type)\($0.role == .key ? " KEY" : "")" }
            guard Set(expected) == Set(actual) else {
                throw EngineError("P0004", "expected \(source.name) to have (\(expected.joined(separator: ", "))), it has (\(actual.joined(separator: ", ")))")
            }
        }
        return .command(tag: "ASSERT", message: nil)
    }

    static func describe(_ values: [(String, Value)]) -> String {
        "(" + values.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")"
    }

    static func describe(_ row: [Value], _ source: SourceDescription) -> String {
        describe(zip(source.schema.columns.map(\.name), row).map { ($0, $1) })
    }
}
