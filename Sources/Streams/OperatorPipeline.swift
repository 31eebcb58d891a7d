import Relational
import SluiceCore
import StateStore

/// The operators between a task's input and its output, applied batch by batch: filters, projections, table
/// functions, aggregations (state in the task's store) and LIMIT. Expressions are compiled once, when the pipeline
/// is built.
public struct OperatorPipeline: Sendable {
    enum Step: Sendable {
        /// A filter; over a table (`deletesFailing`), a row that fails it becomes a delete of its key rather than
        /// vanishing, so that a row that stops matching leaves the result (Kafka Streams' KTable#filter, and HAVING).
        /// `read`: the columns later operators read (the others need not be copied with the rows that pass).
        case filter(CompiledExpression, deletesFailing: Bool, read: [Bool])
        case tableChanges(TableChangesOperator)
        case project([CompiledExpression])
        case explode([CompiledExpression])
        case aggregate(AggregateOperator)
        case limit(remaining: Int64)
        /// Holds a stateful step's place while its operator is taken out to be changed (see `mutateAggregate`).
        case vacant
    }

    /// Runs `body` on the aggregation at step `i`. The operator is moved out of `steps` first: changing a copy bound
    /// by `case .aggregate(var op)` while the array still holds the original would copy its whole cache (every
    /// cached state and the index over them) on the first write, once per batch.
    private mutating func mutateAggregate<R>(_ i: Int, _ body: (inout AggregateOperator) throws -> R) rethrows -> R? {
        guard case .aggregate(var op) = steps[i] else { return nil }
        steps[i] = .vacant
        defer { steps[i] = .aggregate(op) }
        return try body(&op)
    }

    private mutating func mutateTableChanges<R>(_ i: Int, _ body: (inout TableChangesOperator) throws -> R) rethrows -> R? {
        guard case .tableChanges(var op) = steps[i] else { return nil }
        steps[i] = .vacant
        defer { steps[i] = .tableChanges(op) }
        return try body(&op)
    }

    private var steps: [Step]
    public let outputSchema: Schema
    /// Set once a LIMIT has passed all the rows it allows: the query is done.
    public private(set) var isFinished = false

    /// Builds the pipeline of the nodes after `start` in `plan` through `end`, which must form a chain (one input
    /// each). Aggregations keep their state in `store`; `partition` is the task's (see `aggregateFamily`).
    public init(
        plan: StreamPlan, after start: Int, through end: Int, functions: ScalarFunctionLibrary, store: (any StateStore)? = nil,
        partition: PartitionID = 0
    ) throws {
        guard let chain = Self.chain(plan, from: start, to: end) else {
            throw EvaluationError("0A000", "the nodes from \(plan.nodes[start].name) to \(plan.nodes[end].name) do not form a chain")
        }
        try self.init(plan: plan, chain: chain, input: start, functions: functions, store: store, partition: partition)
    }

    /// Builds the pipeline of `chain` (node ids, each the single input of the next), whose first node reads the rows
    /// of node `input`.
    init(
        plan: StreamPlan, chain: [Int], input: Int, functions: ScalarFunctionLibrary, store: (any StateStore)?, partition: PartitionID = 0
    ) throws {
        var steps: [Step] = []
        var width = plan.nodes[input].schema.count
        let readColumns = plan.readColumns()
        for node in chain.map({ plan.nodes[$0] }) {
            switch node.op {
            case .filter(let predicate):
                steps.append(.filter(try CompiledExpression.compile(predicate, columnCount: width, functions: functions),
                                     deletesFailing: node.kind == .table, read: (0..<width).map { readColumns[node.id].contains($0) }))
            case .tableChanges(let binding):
                guard let store else { throw EvaluationError("0A000", "a table aggregation needs a state store") }
                let input = plan.nodes[node.inputs[0]]
                steps.append(.tableChanges(TableChangesOperator(keyColumns: input.schema.indices(role: .key), pseudoColumns: input.schema.indices(role: .pseudo), width: width,
                                                                family: try store.columnFamily(binding.name))))
            case .project(let exprs):
                let w = width
                steps.append(.project(try exprs.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: w, functions: functions) }))
            case .tableFunction(let name, let arguments):
                guard name == "EXPLODE" else { throw EvaluationError("0A000", "table function \(name) is not executed yet") }
                let w = width
                steps.append(.explode(try arguments.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: w, functions: functions) }))
            case .limit(let count, _):
                steps.append(.limit(remaining: count ?? .max))
            case .aggregate(let groupBy, let aggregates, let window, let binding):
                guard let store else { throw EvaluationError("0A000", "aggregation needs a state store") }
                steps.append(.aggregate(try Self.aggregate(groupBy, aggregates, window, binding, width: width, functions: functions, store: store,
                                                           retracting: plan.readsTableChanges(node.id), partition: partition)))
            case .sink, .repartition:
                continue
            default:
                throw EvaluationError("0A000", "operator \(node.name) is not executed yet")
            }
            width = node.schema.count
        }
        self.steps = steps
        self.outputSchema = plan.nodes[chain.last ?? input].schema
    }

    /// The nodes after `start` through `end`, walking back from `end` through single inputs; nil if `start` is not
    /// reached that way.
    static func chain(_ plan: StreamPlan, from start: Int, to end: Int) -> [Int]? {
        var chain: [Int] = []
        var node = end
        while node != start {
            chain.append(node)
            guard plan.nodes[node].inputs.count == 1 else { return nil }
            node = plan.nodes[node].inputs[0]
        }
        return chain.reversed()
    }

    static func aggregate(
        _ groupBy: [ScalarExpression], _ aggregates: [AggregateCall], _ window: WindowDefinition?, _ binding: StateStoreBinding,
        width: Int, functions: ScalarFunctionLibrary, store: any StateStore, retracting: Bool = false, partition: PartitionID = 0
    ) throws -> AggregateOperator {
        let keys = try groupBy.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: width, functions: functions) }
        let arguments = try aggregates.map { call throws(EvaluationError) in
            try call.arguments.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: width, functions: functions) }
        }
        let aggregateFunctions = aggregates.map(AggregateFunction.init)
        return try AggregateOperator(groupBy: keys, arguments: arguments, functions: aggregateFunctions, window: window,
                                     family: try store.columnFamily(aggregateFamily(binding.name, window: window, partition: partition)),
                                     retracting: retracting)
    }

    /// The column family of an aggregation's state. Every partition's task of a query opens the same store, and a
    /// windowed aggregation keeps per-task data under fixed keys (its stream time, and the close-time index that EMIT
    /// FINAL scans), so partitions after the first keep theirs in a family of their own ("name#p"); otherwise one
    /// task would emit and delete another's windows, or take its stream time after a restart. Partition 0 keeps the
    /// plain name, as single-partition queries always had.
    static func aggregateFamily(_ name: String, window: WindowDefinition?, partition: PartitionID) -> String {
        window == nil || partition == 0 ? name : "\(name)#\(partition)"
    }

    /// Whether any step keeps state (the task then needs a store).
    public var isStateful: Bool {
        steps.contains { step in
            switch step {
            case .aggregate, .tableChanges: true
            default: false
            }
        }
    }

    /// Records dropped because their window had closed.
    public var lateRecords: Int {
        steps.reduce(0) { total, step in
            if case .aggregate(let op) = step { return total + op.lateRecords }
            return total
        }
    }

    /// Runs `batch` through the steps. Stateless steps pass rows on at once; an aggregation folds them into its
    /// cache and passes nothing until `flush`. Rows whose expressions fail keep going with NULLs; the errors are
    /// returned with the offsets of their rows for the processing log.
    public mutating func process(
        _ batch: StreamBatch, parameters: [Value] = [], store: (any StateStore)? = nil
    ) throws -> (StreamBatch, [(offset: Int64, error: EvaluationError)]) {
        try run(batch, from: 0, parameters: parameters, store: store)
    }

    /// Whether an aggregation holds uncommitted state, and how much.
    public var pendingStateCount: Int {
        steps.reduce(0) { total, step in
            switch step {
            case .aggregate(let op): return total + op.dirtyCount
            case .tableChanges(let op): return total + op.pendingCount
            default: return total
            }
        }
    }

    /// Writes the aggregations' cached state into `writes` and runs their updated rows through the steps after them.
    public mutating func flush(into writes: inout StateWriteBatch, store: (any StateStore)? = nil) throws -> (StreamBatch, [(offset: Int64, error: EvaluationError)]) {
        for i in steps.indices {
            mutateTableChanges(i) { $0.flush(into: &writes) }
        }
        guard let index = steps.firstIndex(where: { if case .aggregate = $0 { return true } else { return false } }),
            let rows = try mutateAggregate(index, { op in try op.flush(into: &writes, store: store) })
        else { return (StreamBatch(columnCount: 0), []) }
        return try run(rows, from: index + 1, parameters: [], store: store)
    }

    /// The records aggregations dropped as late since the last call, with why.
    public mutating func takeLateRecords() -> [(offset: Int64, message: String)] {
        var all: [(offset: Int64, message: String)] = []
        for i in steps.indices {
            all += mutateAggregate(i) { $0.takeLateRecords() } ?? []
        }
        return all
    }

    /// Forgets every aggregation's cached state, after a flush whose commit failed.
    public mutating func discardCache() {
        for i in steps.indices {
            mutateAggregate(i) { $0.discardCache() }
            mutateTableChanges(i) { $0.discard() }
        }
    }

    private mutating func run(
        _ batch: StreamBatch, from first: Int, parameters: [Value], store: (any StateStore)?
    ) throws -> (StreamBatch, [(offset: Int64, error: EvaluationError)]) {
        var current = batch
        var errors: [(Int64, EvaluationError)] = []
        for i in steps.indices where i >= first {
            if current.isEmpty { break }
            var context = EvaluationContext(parameters: parameters)
            switch steps[i] {
            case .filter(let predicate, let deletesFailing, let read):
                let keep = predicate.evaluate(current.evaluationInput, context: &context)
                errors += context.errors.map { (current.offsets[$0.key], $0.value) }
                if deletesFailing {
                    for row in keep.indices where keep[row].boolValue != true && current.ops[row].isAddition { current.ops[row] = .delete }
                } else {
                    let rows = keep.indices.filter { keep[$0].boolValue == true }
                    // Every row passing: the batch goes on as it is.
                    if rows.count < current.count { current = current.gathering(rows, read: read) }
                }
            case .tableChanges:
                guard let store else { throw EvaluationError("0A000", "a table aggregation needs a state store") }
                let input = current
                current = try mutateTableChanges(i) { op in try op.process(input, store: store) } ?? input
            case .project(let exprs):
                let input = current.evaluationInput
                let columns = exprs.map { $0.evaluate(input, context: &context) }
                errors += context.errors.map { (current.offsets[$0.key], $0.value) }
                current.columns = columns
            case .explode(let arguments):
                current = explode(current, arguments, &context)
                errors += context.errors.map { (current.offsets.indices.contains($0.key) ? current.offsets[$0.key] : -1, $0.value) }
            case .aggregate:
                guard let store else { throw EvaluationError("0A000", "aggregation needs a state store") }
                let input = current
                try mutateAggregate(i) { op in try op.process(input, store: store, context: &context) }
                errors += context.errors.map { (input.offsets.indices.contains($0.key) ? input.offsets[$0.key] : -1, $0.value) }
                return (StreamBatch(columnCount: 0), errors)  // rows leave the aggregation at the next flush
            case .limit(let remaining):
                // LIMIT counts the rows a client sees: deletes (rows leaving a filtered table) pass but do not count.
                var shown: Int64 = 0
                var cut = 0
                while cut < current.count && shown < remaining {
                    if current.ops[cut].isAddition { shown += 1 }
                    cut += 1
                }
                if shown >= remaining {
                    current = current.gathering(Array(0..<cut))
                    isFinished = true
                    steps[i] = .limit(remaining: 0)
                } else {
                    steps[i] = .limit(remaining: remaining - shown)
                }
            case .vacant:
                preconditionFailure("a step is run while its operator is taken out")
            }
        }
        return (current, errors)
    }

    /// EXPLODE: one row per element, several EXPLODEs zipped with NULL padding (ksqlDB's rule); the exploded values
    /// are appended as columns.
    private func explode(_ batch: StreamBatch, _ arguments: [CompiledExpression], _ context: inout EvaluationContext) -> StreamBatch {
        let input = batch.evaluationInput
        let arrays = arguments.map { $0.evaluate(input, context: &context) }
        var rows: [Int] = []
        var extra: [[Value]] = Array(repeating: [], count: arrays.count)
        for row in 0..<batch.count {
            let lists = arrays.map { column -> [Value] in
                if case .array(let items) = column[row] { return items }
                return []
            }
            let n = lists.map(\.count).max() ?? 0
            for k in 0..<n {
                rows.append(row)
                for (i, list) in lists.enumerated() { extra[i].append(k < list.count ? list[k] : .null) }
            }
        }
        var result = batch.gathering(rows)
        result.columns += extra
        return result
    }
}
