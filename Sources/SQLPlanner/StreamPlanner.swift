import Relational
import Streams

/// Lowers a logical plan to the dataflow the executors run: assigns node names, state stores and internal topics
/// (named after the query id), and inserts a repartition wherever rows must be re-keyed: before an aggregation
/// whose GROUP BY is not the input's key, and on a stream side of a join whose join key is not its key.
public struct StreamPlanner {
    public let queryID: String
    /// Whether re-keying of single-partition inputs is skipped (always, except in tests of the repartition path).
    public var skipsSinglePartitionRepartitions = true
    private var nodes: [StreamNode] = []
    /// Set while planning the input of an aggregation over a table: the first node that yields the table (below
    /// its filters and projections) is followed by a table-changes node, and those filters and projections then see
    /// retractions and additions (a stream).
    private var wantTableChanges = false

    public init(queryID: String) {
        self.queryID = queryID
    }

    /// The dataflow of `plan`, ending in a sink to `sink` when given (persistent queries).
    public static func lower(
        _ plan: LogicalPlan, queryID: String, sink: SourceDescription? = nil, skipsSinglePartitionRepartitions: Bool = true
    ) -> StreamPlan {
        var planner = StreamPlanner(queryID: queryID)
        planner.skipsSinglePartitionRepartitions = skipsSinglePartitionRepartitions
        let output = planner.add(plan)
        if let sink {
            let binding = binding(sink)
            planner.append("Sink", .sink(binding), inputs: [output], schema: plan.schema, kind: planner.nodes[output].kind, window: plan.window)
        }
        return StreamPlan(queryID: queryID, nodes: planner.nodes)
    }

    public static func binding(_ source: SourceDescription) -> TopicBinding {
        TopicBinding(
            topic: source.topic, keyFormat: source.keyFormat, valueFormat: source.valueFormat, partitions: source.partitions,
            schema: source.schema, timestampColumn: source.timestampColumn, timestampFormat: source.timestampFormat,
            windowType: source.windowType, windowSizeMs: source.properties["WINDOW_SIZE"].flatMap(Self.milliseconds),
            wrapSingleValue: source.properties["WRAP_SINGLE_VALUE"].map { $0.lowercased() != "false" } ?? true)
    }

    /// A WINDOW_SIZE property ('10 SECONDS', '1 MINUTE', '500 MILLISECONDS') in milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let n = Int64(parts[0]) else { return nil }
        var unit = parts[1].uppercased()
        if unit.hasSuffix("S") { unit.removeLast() }
        let scale: Int64? = ["MILLISECOND": 1, "SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": 86_400_000][unit]
        return scale.map { n * $0 }
    }

    private mutating func add(_ plan: LogicalPlan) -> Int {
        let changes = wantTableChanges
        wantTableChanges = false
        switch plan.op {
        case .filter, .project:
            wantTableChanges = changes
            let inputs = plan.inputs.map { add($0) }
            let (name, op) = Self.simple(plan.op)
            return append(name, op, inputs: inputs, schema: plan.schema, kind: changes || plan.resultKind == .stream ? .stream : .table, window: plan.window)
        default:
            let node = addNode(plan)
            guard changes, nodes[node].kind == .table else { return node }
            let store = StateStoreBinding(name: "\(queryID)-TableChanges-\(nodes.count)", changelogTopic: "\(queryID)-TableChanges-\(nodes.count)-changelog")
            return append("TableChanges", .tableChanges(store: store), inputs: [node], schema: nodes[node].schema, kind: .stream)
        }
    }

    private mutating func addNode(_ plan: LogicalPlan) -> Int {
        let kind: StreamKind = plan.resultKind == .stream ? .stream : .table
        switch plan.op {
        case .source(let source):
            return append("Source", .source(Self.binding(source)), inputs: [], schema: plan.schema, kind: kind, window: plan.window)
        case .aggregate(let groupBy, let aggregates, let window):
            wantTableChanges = plan.inputs[0].resultKind == .table
            var input = add(plan.inputs[0])
            if !isKey(groupBy, of: plan.inputs[0].schema) && !isSinglePartition(input) {
                input = append("Repartition", .repartition(key: groupBy, topic: "\(queryID)-Repartition-\(nodes.count)"),
                               inputs: [input], schema: nodes[input].schema, kind: .stream)
            }
            let store = StateStoreBinding(name: "\(queryID)-Aggregate-\(nodes.count)", changelogTopic: "\(queryID)-Aggregate-\(nodes.count)-changelog")
            return append("Aggregate", .aggregate(groupBy: groupBy, aggregates: aggregates, window: window, store: store),
                          inputs: [input], schema: plan.schema, kind: .table, window: window)
        case .join(let join):
            var left = add(plan.inputs[0])
            var right = add(plan.inputs[1])
            // A task runs one join: a stream that comes out of another join in this stage (n-way joins) goes
            // through an internal topic first, keyed by this join's key, so the next join runs in a stage of its own.
            if nodes[left].kind == .stream && ((!isKey(join.leftKeys, of: plan.inputs[0].schema) && !isSinglePartition(left)) || joinsInStage(left)) {
                left = append("Repartition", .repartition(key: join.leftKeys, topic: "\(queryID)-Repartition-\(nodes.count)"),
                              inputs: [left], schema: nodes[left].schema, kind: .stream)
            }
            if nodes[right].kind == .stream && ((!isKey(join.rightKeys, of: plan.inputs[1].schema) && !isSinglePartition(right)) || joinsInStage(right)) {
                right = append("Repartition", .repartition(key: join.rightKeys, topic: "\(queryID)-Repartition-\(nodes.count)"),
                               inputs: [right], schema: nodes[right].schema, kind: .stream)
            }
            if join.leftPrimaryKey != nil && !(isSinglePartition(left) && isSinglePartition(right)) {
                // A foreign-key join meets rows by a column that is not the left table's key, so no partitioning of the
                // left table brings each row to its right row's partition: both tables gather into a one-partition
                // topic (a repartition without a key), and one task joins them. Each key's changes keep their order
                // (they come from one partition upstream); deletes travel as retractions.
                left = append("Repartition", .repartition(key: [], topic: "\(queryID)-Repartition-\(nodes.count)"),
                              inputs: [left], schema: nodes[left].schema, kind: .table)
                right = append("Repartition", .repartition(key: [], topic: "\(queryID)-Repartition-\(nodes.count)"),
                               inputs: [right], schema: nodes[right].schema, kind: .table)
            }
            let id = nodes.count
            // A foreign-key join also keeps an index from each foreign key to the left rows that hold it.
            let sides = nodes[left].kind == .stream && nodes[right].kind == .table ? ["Right"]
                : join.leftPrimaryKey != nil ? ["Left", "Right", "Index"] : ["Left", "Right"]
            let stores = sides.map { StateStoreBinding(name: "\(queryID)-Join-\(id)-\($0)", changelogTopic: "\(queryID)-Join-\(id)-\($0)-changelog") }
            return append("Join", .join(join, stores: stores), inputs: [left, right], schema: plan.schema, kind: kind, window: plan.window)
        case .unionAll:
            // `a UNION ALL b UNION ALL c` is one node with three inputs: one task merges them all.
            func branches(_ plan: LogicalPlan) -> [LogicalPlan] {
                if case .unionAll = plan.op { return plan.inputs.flatMap(branches) }
                return [plan]
            }
            let inputs = branches(plan).map { add($0) }
            return append("UnionAll", .unionAll, inputs: inputs, schema: plan.schema, kind: kind, window: plan.window)
        default:
            let inputs = plan.inputs.map { add($0) }
            let (name, op) = Self.simple(plan.op)
            return append(name, op, inputs: inputs, schema: plan.schema, kind: kind, window: plan.window)
        }
    }

    private static func simple(_ op: LogicalPlan.Operator) -> (String, StreamNode.Operator) {
        switch op {
        case .filter(let predicate): ("Filter", .filter(predicate))
        case .project(let exprs): ("Project", .project(exprs))
        case .repartition(let key): ("Repartition", .repartition(key: key, topic: ""))
        case .tableFunction(let name, let arguments): ("TableFunction", .tableFunction(name: name, arguments: arguments))
        case .sort(let keys): ("Sort", .sort(keys: keys.map(\.expression), descending: keys.map(\.descending), nullsFirst: keys.map(\.nullsFirst)))
        case .limit(let count, let offset): ("Limit", .limit(count: count, offset: offset))
        case .source, .aggregate, .join, .unionAll: preconditionFailure("handled by addNode(_:)")
        }
    }

    @discardableResult
    private mutating func append(_ kindName: String, _ op: StreamNode.Operator, inputs: [Int], schema: Schema, kind: StreamKind, window: WindowDefinition? = nil) -> Int {
        var op = op
        if case .repartition(let key, let topic) = op, topic.isEmpty {
            op = .repartition(key: key, topic: "\(queryID)-Repartition-\(nodes.count)")
        }
        nodes.append(StreamNode(id: nodes.count, name: "\(kindName)-\(nodes.count)", op: op, inputs: inputs, schema: schema, kind: kind, window: window))
        return nodes.count - 1
    }

    /// Whether `node`'s rows come from topics of one partition: then one task sees every key, and re-keying through a
    /// repartition topic would only copy the rows (aggregations and joins key their state by the evaluated key, not
    /// by the record key).
    private func isSinglePartition(_ node: Int) -> Bool {
        guard skipsSinglePartitionRepartitions else { return false }
        var pending = [node]
        var visited: Set<Int> = []
        while let current = pending.popLast() {
            guard visited.insert(current).inserted else { continue }
            switch nodes[current].op {
            case .source(let binding): if binding.partitions != 1 { return false }
            default: pending += nodes[current].inputs
            }
        }
        return true
    }

    /// Whether the stage ending at `node` already joins (a join upstream, with no repartition in between).
    private func joinsInStage(_ node: Int) -> Bool {
        var current = node
        while true {
            switch nodes[current].op {
            case .join: return true
            case .repartition, .source: return false
            default:
                guard nodes[current].inputs.count == 1 else { return false }
                current = nodes[current].inputs[0]
            }
        }
    }

    /// Whether `exprs` are exactly the key columns of `schema`, in order (no re-keying needed).
    private func isKey(_ exprs: [ScalarExpression], of schema: Schema) -> Bool {
        let keys = schema.indices(role: .key)
        guard !keys.isEmpty, keys.count == exprs.count else { return false }
        return zip(exprs, keys).allSatisfy { expr, key in
            if case .column(let i) = expr.kind { return i == key }
            return false
        }
    }
}
