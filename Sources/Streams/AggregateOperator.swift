import Relational
import SluiceCore
import StateStore

/// GROUP BY with aggregates, optionally over TUMBLING or HOPPING windows, with state in a state-store column family
/// keyed by the encoded group values (and window start). Each batch loads the states of the keys it touches once,
/// folds the rows in order, stages the new states in the task's write batch (committed atomically with the input
/// offset), and emits one updated row per touched key: group values, window bounds, results.
struct AggregateOperator: Sendable {
    let groupBy: [CompiledExpression]
    let arguments: [[CompiledExpression]]
    let functions: [AggregateFunction]
    let window: WindowDefinition?
    let family: ColumnFamily
    /// Largest event time seen: windows end + grace ≤ stream time are closed, and records for them are late.
    private(set) var streamTime: Int64 = .min
    private(set) var lateRecords = 0

    init(groupBy: [CompiledExpression], arguments: [[CompiledExpression]], functions: [AggregateFunction],
         window: WindowDefinition?, family: ColumnFamily) throws(EvaluationError) {
        if case .session? = window?.kind { throw EvaluationError("0A000", "SESSION windows are not executed yet") }
        self.groupBy = groupBy
        self.arguments = arguments
        self.functions = functions
        self.window = window
        self.family = family
    }

    /// Window starts containing `time` (ksqlDB's alignment: multiples of the advance from the epoch).
    func windowStarts(for time: Int64) -> [Int64] {
        guard let window else { return [0] }
        switch window.kind {
        case .tumbling(let size):
            return [Self.floor(time, size)]
        case .hopping(let size, let advance):
            var starts: [Int64] = []
            var start = Self.floor(time, advance)
            while start > time - size {
                starts.append(start)
                start -= advance
            }
            return starts.reversed()
        case .session:
            return []
        }
    }

    static func floor(_ value: Int64, _ step: Int64) -> Int64 {
        let r = value % step
        return r < 0 ? value - r - step : value - r
    }

    var windowSize: Int64 {
        switch window?.kind {
        case .tumbling(let size)?, .hopping(let size, _)?: size
        default: 0
        }
    }

    mutating func process(_ batch: StreamBatch, store: any StateStore, writes: inout StateWriteBatch,
                          context: inout EvaluationContext) throws -> StreamBatch {
        let input = batch.evaluationInput
        let keys = groupBy.map { $0.evaluate(input, context: &context) }
        let args = arguments.map { list in list.map { $0.evaluate(input, context: &context) } }
        var states: [[UInt8]: [[Value]]] = [:]
        var order: [[UInt8]] = []
        var outputTime: [[UInt8]: Int64] = [:]
        var groupValues: [[UInt8]: ([Value], Int64)] = [:]
        for row in 0..<batch.count where batch.ops[row].isAddition {
            let time = batch.timestamps[row]
            streamTime = max(streamTime, time)
            let values = keys.map { $0[row] }
            for start in windowStarts(for: time) {
                if window != nil, start + windowSize + (window?.graceMs ?? 0) <= streamTime {
                    lateRecords += 1
                    continue
                }
                var key = ValueCodec.encode(values)
                if window != nil { withUnsafeBytes(of: start.bigEndian) { key.append(contentsOf: $0) } }
                if states[key] == nil {
                    states[key] = try loadState(key, store: store)
                    order.append(key)
                    groupValues[key] = (values, start)
                }
                for (i, function) in functions.enumerated() {
                    do throws(EvaluationError) {
                        try function.add(args[i].map { $0[row] }, to: &states[key]![i])
                    } catch {
                        context.record(error, row: row)
                    }
                }
                outputTime[key] = max(outputTime[key] ?? .min, time)
            }
        }
        var output = StreamBatch(columnCount: groupBy.count + (window != nil ? 2 : 0) + functions.count)
        for key in order {
            let state = states[key]!
            var bytes: [UInt8] = []
            for s in state { ValueCodec.encode(.array(s), into: &bytes) }
            writes.put(key, bytes, in: family)
            let (values, start) = groupValues[key]!
            var row = values
            if window != nil { row += [.bigint(start), .bigint(start + windowSize)] }
            row += zip(functions, state).map { $0.result($1) }
            for (i, v) in row.enumerated() { output.columns[i].append(v) }
            output.ops.append(.updateAfter)
            output.timestamps.append(outputTime[key] ?? 0)
            output.offsets.append(-1)
        }
        return output
    }

    private func loadState(_ key: [UInt8], store: any StateStore) throws -> [[Value]] {
        guard let bytes = try store.get(key, in: family) else { return functions.map(\.initialState) }
        let decoded = try bytes.withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) }
        guard decoded.count == functions.count else { throw ValueCodec.corrupt }
        return decoded.map { value in
            if case .array(let items) = value { return items }
            return []
        }
    }
}
