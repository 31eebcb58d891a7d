import Relational

/// A query's dataflow, as the executors run it: nodes in topological order (every node after its inputs), each
/// with its output schema and whether it carries a stream or a table. Persistent queries end in a sink node;
/// push and pull queries end in the node whose rows go to the client. Names of state stores and internal topics
/// derive from the query id, so that a restarted query finds its state and repartitioned data again.
public struct StreamPlan: Hashable, Sendable {
    public var queryID: String
    public var nodes: [StreamNode]

    public init(queryID: String, nodes: [StreamNode]) {
        self.queryID = queryID
        self.nodes = nodes
    }

    public var output: StreamNode { nodes[nodes.count - 1] }

    /// Whether node `id` (an aggregation) reads retractions: a table-changes node feeds it through filters,
    /// projections and repartitions only.
    public func readsTableChanges(_ id: Int) -> Bool {
        var node = nodes[id]
        while let input = node.inputs.first, node.inputs.count == 1 {
            node = nodes[input]
            switch node.op {
            case .tableChanges: return true
            case .filter, .project, .repartition: continue
            default: return false
            }
        }
        return false
    }

    /// The output columns of node `id` that no operator reads (see `readColumns`): a source decoder may leave them
    /// NULL. Empty when every column may be read.
    public func unreadColumns(of id: Int) -> Set<Int> {
        Set(0..<nodes[id].schema.count).subtracting(readColumns()[id])
    }

    /// For every node, the output columns that some later operator may read: backward liveness over the dataflow.
    /// Rows that leave the plan (a sink, a client, a repartition topic, a table-changes store) keep every column;
    /// filters, projections, aggregations and joins read the columns their expressions mention, and a join passes
    /// on what its consumers read of each side, plus its keys and residual condition. Leaving a column NULL that no
    /// operator reads changes no result, and spares the decoder, the join's stored rows and every copy of the row.
    public func readColumns() -> [Set<Int>] {
        var read = [Set<Int>](repeating: [], count: nodes.count)
        var consumed = [Bool](repeating: false, count: nodes.count)
        for node in nodes { for input in node.inputs { consumed[input] = true } }
        for node in nodes.reversed() {
            if !consumed[node.id] { read[node.id] = Set(0..<node.schema.count) }
            var used = read[node.id]
            switch node.op {
            case .source:
                break
            case .filter(let predicate):
                predicate.collectColumns(into: &used)
                read[node.inputs[0]].formUnion(used)
            case .project(let expressions):
                // Every expression runs (and may fail on its input), whether or not its column is read later.
                used = []
                for e in expressions { e.collectColumns(into: &used) }
                read[node.inputs[0]].formUnion(used)
            case .aggregate(let groupBy, let aggregates, _, _):
                used = []
                for e in groupBy + aggregates.flatMap(\.arguments) { e.collectColumns(into: &used) }
                read[node.inputs[0]].formUnion(used)
            case .join(let join, _):
                let leftWidth = nodes[node.inputs[0]].schema.count
                join.residual?.collectColumns(into: &used)
                var left = used.filter { $0 < leftWidth }
                var right = Set(used.filter { $0 >= leftWidth }.map { $0 - leftWidth })
                for e in join.leftKeys { e.collectColumns(into: &left) }
                for e in join.rightKeys { e.collectColumns(into: &right) }
                left.formUnion(join.leftPrimaryKey ?? [])
                read[node.inputs[0]].formUnion(left)
                read[node.inputs[1]].formUnion(right)
            default:
                for input in node.inputs { read[input] = Set(0..<nodes[input].schema.count) }
            }
        }
        return read
    }

    /// Internal topics the query needs (repartition and changelog topics), created with the query.
    public var internalTopics: [String] {
        nodes.flatMap { node -> [String] in
            switch node.op {
            case .repartition(_, let topic): [topic]
            case .aggregate(_, _, _, let store), .tableChanges(let store): [store.changelogTopic]
            case .join(_, let stores): stores.map(\.changelogTopic)
            default: []
            }
        }
    }

    /// The plan as text, one node per line with its inputs (EXPLAIN's "physical plan").
    public var text: String {
        nodes.map { node in
            let inputs = node.inputs.isEmpty ? "" : " <- " + node.inputs.map { nodes[$0].name }.joined(separator: ", ")
            return "\(node.name)\(inputs): \(node.summary(inputNames: node.inputs.flatMap { nodes[$0].schema.columns.map(\.name) }))"
        }.joined(separator: "\n")
    }
}

/// A topic a query reads or writes, with how its records map to columns.
public struct TopicBinding: Hashable, Sendable {
    public var topic: String
    public var keyFormat: String
    public var valueFormat: String
    public var partitions: Int
    /// The columns of the records (key, value, header), in row order.
    public var schema: Schema
    /// Column whose value is the event time instead of the record timestamp.
    public var timestampColumn: String?
    public var timestampFormat: String?
    public var windowType: WindowType?
    /// The size of a tumbling or hopping window, to compute WINDOWEND from a windowed key's start.
    public var windowSizeMs: Int64?
    public var wrapSingleValue: Bool

    public init(
        topic: String, keyFormat: String, valueFormat: String, partitions: Int, schema: Schema, timestampColumn: String? = nil,
        timestampFormat: String? = nil, windowType: WindowType? = nil, windowSizeMs: Int64? = nil, wrapSingleValue: Bool = true
    ) {
        self.windowSizeMs = windowSizeMs
        self.topic = topic
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.partitions = partitions
        self.schema = schema
        self.timestampColumn = timestampColumn
        self.timestampFormat = timestampFormat
        self.windowType = windowType
        self.wrapSingleValue = wrapSingleValue
    }
}

/// A RocksDB column family of a query and the compacted topic that mirrors it.
public struct StateStoreBinding: Hashable, Sendable {
    public var name: String
    public var changelogTopic: String

    public init(name: String, changelogTopic: String) {
        self.name = name
        self.changelogTopic = changelogTopic
    }
}

/// Whether a node's rows are appended events or upserts by key.
public enum StreamKind: String, Hashable, Sendable {
    case stream = "STREAM"
    case table = "TABLE"
}

/// One operator of a `StreamPlan`.
public struct StreamNode: Hashable, Sendable {
    public indirect enum Operator: Hashable, Sendable {
        /// Reads a topic; output row = the binding's columns, then ROWTIME, ROWPARTITION, ROWOFFSET (and the
        /// window bounds for windowed topics).
        case source(TopicBinding)
        case filter(ScalarExpression)
        case project([ScalarExpression])
        /// Writes rows keyed by the expressions to an internal topic and reads them back, co-partitioned by the key.
        case repartition(key: [ScalarExpression], topic: String)
        case aggregate(groupBy: [ScalarExpression], aggregates: [AggregateCall], window: WindowDefinition?, store: StateStoreBinding)
        /// Turns a table's upserts and deletes into retractions and additions (each key's previous row, kept in
        /// `store`, comes out as an `updateBefore` before its new row), so that an aggregation over a table can undo
        /// what a changed row contributed (ksqlDB's table aggregations).
        case tableChanges(store: StateStoreBinding)
        case tableFunction(name: String, arguments: [ScalarExpression])
        case join(JoinDefinition, stores: [StateStoreBinding])
        case unionAll
        case sort(keys: [ScalarExpression], descending: [Bool], nullsFirst: [Bool])
        case limit(count: Int64?, offset: Int64?)
        /// Writes the input to a topic (persistent queries).
        case sink(TopicBinding)
    }

    public var id: Int
    public var name: String
    public var op: Operator
    public var inputs: [Int]
    public var schema: Schema
    public var kind: StreamKind
    public var window: WindowDefinition?

    public init(id: Int, name: String, op: Operator, inputs: [Int], schema: Schema, kind: StreamKind, window: WindowDefinition? = nil) {
        self.id = id
        self.name = name
        self.op = op
        self.inputs = inputs
        self.schema = schema
        self.kind = kind
        self.window = window
    }

    func summary(inputNames: [String]) -> String {
        func e(_ x: ScalarExpression) -> String { ExpressionPrinter.text(x, columns: inputNames) }
        let body: String
        switch op {
        case .source(let binding): body = "read \(binding.topic) (key \(binding.keyFormat), value \(binding.valueFormat))"
        case .filter(let predicate): body = "filter \(e(predicate))"
        case .project(let exprs): body = "project " + zip(schema.columns, exprs).map { "\($0.name) := \(e($1))" }.joined(separator: ", ")
        case .repartition(let key, let topic):
            body = key.isEmpty ? "gather into one partition through \(topic)" : "repartition by [\(key.map(e).joined(separator: ", "))] through \(topic)"
        case .aggregate(let groupBy, let aggregates, let window, let store):
            body = "aggregate [\(groupBy.map(e).joined(separator: ", "))] [\(aggregates.map { "\($0.function)(\($0.arguments.map(e).joined(separator: ", ")))" }.joined(separator: ", "))]"
                + (window.map { " window \($0)" } ?? "") + " store \(store.name)"
        case .tableChanges(let store): body = "table changes (previous rows in \(store.name))"
        case .tableFunction(let name, let arguments): body = "\(name)(\(arguments.map(e).joined(separator: ", ")))"
        case .join(let join, let stores): body = "\(join.kind.rawValue) join, stores \(stores.map(\.name).joined(separator: ", "))"
        case .unionAll: body = "union all"
        case .sort(let keys, let descending, _): body = "sort " + zip(keys, descending).map { "\(e($0)) \($1 ? "DESC" : "ASC")" }.joined(separator: ", ")
        case .limit(let count, let offset): body = "limit \(count.map(String.init) ?? "all")" + (offset.map { " offset \($0)" } ?? "")
        case .sink(let binding): body = "write \(binding.topic) (key \(binding.keyFormat), value \(binding.valueFormat))"
        }
        return "\(body) → \(kind.rawValue)"
    }
}

extension StreamNode.Operator {
    /// Whether the node writes its rows to an internal topic (and later stages read them back).
    public var isRepartition: Bool {
        if case .repartition = self { return true }
        return false
    }

    public var isUnionAll: Bool {
        if case .unionAll = self { return true }
        return false
    }

    public var isJoin: Bool {
        if case .join = self { return true }
        return false
    }
}
