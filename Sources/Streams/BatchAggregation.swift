import Relational

/// Aggregates one batch of rows at once, in memory: what a pull query over a table's current rows needs
/// (`SELECT COUNT(*) FROM t`, `… GROUP BY region HAVING …`). The same aggregate functions and NULL rules as a
/// persistent aggregation, without state store, windows or retraction.
public enum BatchAggregation {
    /// One row per group, in the order groups first appear: the GROUP BY values, then each aggregate's result.
    /// Without GROUP BY there is exactly one row, even over no input (COUNT(*) of an empty table is 0). As in SQL
    /// (and PostgreSQL), SUM of no non-NULL values is NULL here; a persistent aggregation keeps ksqlDB's 0.
    public static func aggregate(
        _ batch: StreamBatch, groupBy: [ScalarExpression], aggregates: [AggregateCall], width: Int,
        functions: ScalarFunctionLibrary, context: inout EvaluationContext
    ) throws -> StreamBatch {
        let input = batch.evaluationInput
        let keyColumns = try groupBy.map { e in
            try CompiledExpression.compile(e, columnCount: width, functions: functions).evaluate(input, context: &context)
        }
        let argumentColumns = try aggregates.map { call in
            try call.arguments.map { e in
                try CompiledExpression.compile(e, columnCount: width, functions: functions).evaluate(input, context: &context)
            }
        }
        let aggregateFunctions = aggregates.map(AggregateFunction.init)
        let initialStates = aggregateFunctions.map(\.initialState)
        // Per group, per aggregate: whether a SUM folded in a non-NULL value (SUM of nothing is NULL, not 0).
        let sums = aggregateFunctions.map { $0.kind == .sum }
        var summed: [[Bool]] = []
        var groups: [[UInt8]: Int] = [:]
        var keys: [[Value]] = []
        var states: [[[Value]]] = []
        if groupBy.isEmpty {
            keys.append([])
            states.append(initialStates)
            summed.append(sums.map { _ in false })
        }
        // f(DISTINCT x): the argument tuples each group has already folded in, per aggregate.
        var seen: [[Set<[UInt8]>]] = groupBy.isEmpty ? [aggregates.map { _ in [] }] : []
        var encoded: [UInt8] = []
        var arguments: [Value] = []
        for row in 0..<batch.count {
            let group: Int
            if groupBy.isEmpty {
                group = 0
            } else {
                encoded.removeAll(keepingCapacity: true)
                for column in keyColumns { ValueCodec.encode(column[row], into: &encoded) }
                if let found = groups[encoded] {
                    group = found
                } else {
                    group = keys.count
                    groups[encoded] = group
                    keys.append(keyColumns.map { $0[row] })
                    states.append(initialStates)
                    summed.append(sums.map { _ in false })
                    seen.append(aggregates.map { _ in [] })
                }
            }
            for (i, function) in aggregateFunctions.enumerated() {
                arguments.removeAll(keepingCapacity: true)
                for column in argumentColumns[i] { arguments.append(column[row]) }
                if aggregates[i].distinct {
                    guard !arguments.contains(where: { $0 == .null }) else { continue }  // DISTINCT skips NULLs
                    guard seen[group][i].insert(ValueCodec.encode(arguments)).inserted else { continue }
                }
                do throws(EvaluationError) {
                    try function.add(arguments, to: &states[group][i])
                    if sums[i], arguments.first.map({ $0 != .null }) ?? false { summed[group][i] = true }
                } catch {
                    context.record(error, row: row)
                }
            }
        }
        var output = StreamBatch(columnCount: groupBy.count + aggregates.count)
        for group in keys.indices {
            for (c, value) in keys[group].enumerated() { output.columns[c].append(value) }
            for (i, function) in aggregateFunctions.enumerated() {
                let result = sums[i] && !summed[group][i] ? .null : function.result(states[group][i])
                output.columns[groupBy.count + i].append(result)
            }
            output.ops.append(.insert)
            output.timestamps.append(0)
            output.offsets.append(-1)
        }
        return output
    }
}
