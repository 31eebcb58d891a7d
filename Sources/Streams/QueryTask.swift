import Broker
import Relational
import SluiceCore
import StateStore

/// One partition's share of one stage of a query. A query's dataflow is cut into stages at its repartitions: the
/// first stage reads the source topic, each later one reads the internal topic the stage before it wrote, keyed by
/// the new key. A task reads its input partition from the last committed offset, decodes, runs the operators, writes
/// its output (sink topic, repartition topic, or a push query's client), and then commits, in ONE state-store write
/// batch, the operators' new state and the next input offset; so after a crash the task resumes exactly where its
/// state is, and output is at least once. Not thread-safe: the scheduler runs a task on one worker at a time.
public final class QueryTask: @unchecked Sendable {
    // @unchecked: a task is only ever stepped by one worker at a time (TaskScheduler's invariant); its counters are
    // read by others only through `metrics`, which copies them under `metricsLock`.
    public enum Output: Sendable {
        case sink(TopicBinding)
        /// A push query: rows are handed over batch by batch; returning false stops the task.
        case client(@Sendable (_ batch: StreamBatch, _ schema: Schema) -> Bool)
    }

    public enum StartPosition: Sendable {
        case earliest
        case latest
    }

    public enum StepResult: Equatable, Sendable {
        case progressed(records: Int)
        case idle
        case finished
    }

    /// Figures of a task; for a join's task, `position` and `endOffset` add up both inputs, so that `lag` is the sum.
    public struct Metrics: Sendable, Equatable {
        public var recordsIn = 0
        public var recordsOut = 0
        public var errors = 0
        public var lateRecords = 0
        public var position: Offset = 0
        public var endOffset: Offset = 0
        public var lag: Offset { max(0, endOffset - position) }

        public init() {}
    }

    public let queryID: String
    public let stage: Int
    /// The (first) input partition.
    public var partition: TopicPartition { inputs[0].partition }
    private let client: any LogClient
    private let store: (any StateStore)?
    private let offsetsFamily: ColumnFamily?
    private let processingLog: (any ProcessingLog)?
    /// One input for most stages; a join's stage reads two (left, right) or more (joins of tables on one key),
    /// each through its own operators.
    private var inputs: [Input]
    /// A join stage's joins, each after the joins it reads: the last one feeds `pipeline`.
    private var joins: [JoinStep] = []
    /// The operators after the input (or after the last join).
    private var pipeline: OperatorPipeline
    private var sink: SinkEncoder?
    private let deliver: (@Sendable (StreamBatch, Schema) -> Bool)?
    private var finished = false

    /// A partition a stage reads, with its position and decoder.
    struct Input {
        var partition: TopicPartition
        var decoder: SourceDecoder
        var position: Offset
        /// The operators between this input and the join (join stages only).
        var branch: OperatorPipeline?
        /// The width of rows entering the join from this side.
        var joinWidth: Int
        /// For inputs that are repartition topics: where ROWPARTITION and ROWOFFSET of the original source record sit
        /// in the row, and the highest source offset applied per source partition (kept in the store with the state).
        var sourcePositionColumns: (partition: Int, offset: Int)?
        var appliedSourceOffsets: [Int32: Offset] = [:]
        var appliedKeyPrefix: String
        /// Whether one source record may become several consecutive rows (a table function before the repartition).
        var rowsShareOffsets = false
        /// Join stages: rows the last step decoded but held back to keep the inputs together in event time, where the
        /// fetch that brought them ended, whether it had caught up, and its high watermark. The next step takes them
        /// instead of fetching and decoding them again (`position` stays at the first of them until they are
        /// processed).
        var carried: Carried?
    }

    struct Carried {
        var rows: StreamBatch
        var next: Offset
        var caughtUp: Bool
        var highWatermark: Offset
    }

    /// One join of a stage, and where each of its two sides' rows come from: a stage input (through that input's
    /// branch), or an earlier join's output through the operators between the two joins.
    struct JoinStep {
        enum Side {
            case input(Int)
            case join(Int, OperatorPipeline?)
        }
        var op: JoinOperator
        var sides: [Side]
    }
    private let metricsLock = Lock()
    private var counters = Metrics()
    /// State changes and applied source offsets not yet committed, and when the oldest of them was staged.
    private var pendingWrites = StateWriteBatch()
    private var uncommittedSince: UInt64?
    private let clock: any Clock
    /// Where a stateful stage mirrors every commit (state changes and input offsets, one record batch per commit),
    /// and the names of the families those changes touch, by index.
    private let changelog: TopicPartition?
    private var familyNames: [Int: String] = [:]
    /// An aggregation flushes its cache when it holds this many keys or when this much time has passed (ksqlDB's
    /// commit.interval.ms default is 2 s too); an input that runs dry flushes at once.
    public let flushStateCount: Int
    public let flushInterval: UInt64
    /// The defaults of `flushStateCount` and `flushInterval` (SHOW PROPERTIES reports them).
    public static let defaultFlushStateCount = 200_000
    public static let defaultFlushIntervalMilliseconds = 2_000

    /// A part of a query's dataflow that one task runs per partition: from its inputs (sources or repartition
    /// topics; two for a join) through its last node (a repartition, or the query's output).
    public struct Stage: Sendable, Equatable {
        public var inputs: [Int]
        public var last: Int
        public var input: Int { inputs[0] }
    }

    /// The stages of `plan`, cut after each repartition node, in the order of their last nodes.
    public static func stages(of plan: StreamPlan) -> [Stage] {
        func isEntry(_ node: StreamNode) -> Bool {
            switch node.op {
            case .source, .repartition: true
            default: false
            }
        }
        var ends = plan.nodes.filter { node in
            if case .repartition = node.op { return node.id > 0 }
            return false
        }.map(\.id)
        if ends.last != plan.nodes.count - 1 { ends.append(plan.nodes.count - 1) }
        return ends.map { end in
            if case .source = plan.nodes[end].op { return Stage(inputs: [end], last: end) }
            var entries: [Int] = []
            func walk(_ node: Int) {
                for input in plan.nodes[node].inputs {
                    if isEntry(plan.nodes[input]) { entries.append(input) } else { walk(input) }
                }
            }
            walk(end)
            return Stage(inputs: entries, last: end)
        }
    }

    /// The state stores of a stage's operators.
    public static func stores(of plan: StreamPlan, stage: Stage) -> [StateStoreBinding] {
        storeFamilies(of: plan, stage: stage, partition: 0).map(\.store)
    }

    /// The state stores of a stage's operators, with the column family each has in `partition`'s task (see
    /// `OperatorPipeline.aggregateFamily`).
    static func storeFamilies(of plan: StreamPlan, stage: Stage, partition: PartitionID) -> [(store: StateStoreBinding, family: String)] {
        var stores: [(store: StateStoreBinding, family: String)] = []
        var visited: Set<Int> = []
        func walk(_ node: Int) {
            guard visited.insert(node).inserted, !stage.inputs.contains(node) else { return }
            switch plan.nodes[node].op {
            case .aggregate(_, _, let window, let store):
                stores.append((store, OperatorPipeline.aggregateFamily(store.name, window: window, partition: partition)))
            case .tableChanges(let store): stores.append((store, store.name))
            case .join(_, let joinStores): stores += joinStores.map { ($0, $0.name) }
            default: break
            }
            plan.nodes[node].inputs.forEach(walk)
        }
        walk(stage.last)
        return stores.reversed()
    }

    /// Everything a persistent query keeps besides its sink: the column families of every task's stores and the
    /// internal topics (repartition topics and changelogs). A terminated query's are dropped with it.
    public static func internalState(of plan: StreamPlan) -> (families: [String], topics: [String]) {
        var families: [String] = []
        var topics: [String] = []
        for stage in stages(of: plan) {
            topics += stage.inputs.compactMap { repartitionBinding(plan, node: $0)?.topic }
            if let changelog = changelogTopic(of: plan, stage: stage) { topics.append(changelog) }
            for partition in 0..<max(partitionCount(of: stage, in: plan), 1) {
                let stageFamilies = storeFamilies(of: plan, stage: stage, partition: PartitionID(partition))
                for (_, family) in stageFamilies where !families.contains(family) { families.append(family) }
            }
        }
        return (families, topics)
    }

    /// The compacted topic a stage's state is mirrored to (its first store's changelog), if it keeps state.
    public static func changelogTopic(of plan: StreamPlan, stage: Stage) -> String? {
        stores(of: plan, stage: stage).first?.changelogTopic
    }

    /// The source a node's rows come from, following first inputs.
    static func upstreamSource(_ plan: StreamPlan, of node: Int) -> TopicBinding? {
        var n = node
        while true {
            if case .source(let binding) = plan.nodes[n].op { return binding }
            guard let first = plan.nodes[n].inputs.first else { return nil }
            n = first
        }
    }

    /// The internal topics a stage reads (its repartition input) and writes, with their bindings.
    /// How many tasks run `stage`: one per partition of its widest input.
    public static func partitionCount(of stage: Stage, in plan: StreamPlan) -> Int {
        stage.inputs.map { input in
            if case .source(let binding) = plan.nodes[input].op { return binding.partitions }
            return repartitionBinding(plan, node: input)?.partitions ?? 0
        }.max() ?? 0
    }

    public static func repartitionBinding(_ plan: StreamPlan, node: Int) -> TopicBinding? {
        guard case .repartition(let key, let topic) = plan.nodes[node].op, let source = upstreamSource(plan, of: node) else { return nil }
        // A repartition without a key gathers its rows into one partition (foreign-key joins over partitioned tables,
        // global aggregates).
        return TopicBinding(topic: topic, keyFormat: SourceDecoder.internalFormat, valueFormat: SourceDecoder.internalFormat,
                            partitions: key.isEmpty ? 1 : source.partitions, schema: plan.nodes[node].schema)
    }

    public init(
        queryID: String, plan: StreamPlan, stage: Int = 0, partition: PartitionID, client: any LogClient, store: (any StateStore)?,
        output: Output, start: StartPosition, functions: ScalarFunctionLibrary, processingLog: (any ProcessingLog)? = nil,
        clock: any Clock = SystemClock(), flushStateCount: Int = defaultFlushStateCount,
        flushIntervalMilliseconds: Int = defaultFlushIntervalMilliseconds, changelog: Bool = false
    ) throws {
        self.clock = clock
        self.flushStateCount = flushStateCount
        self.flushInterval = UInt64(flushIntervalMilliseconds) * 1_000_000
        let stages = Self.stages(of: plan)
        guard stage < stages.count else { throw EvaluationError("0A000", "query \(queryID) has no stage \(stage)") }
        let current = stages[stage]
        let lastNode = current.last
        self.queryID = queryID
        self.stage = stage
        self.client = client
        self.store = store
        self.processingLog = processingLog
        offsetsFamily = try store?.columnFamily(Self.offsetsFamilyName)

        // The operators: one chain; or a branch per input into a UNION ALL, or two into a join, and a chain after it.
        var branches: [OperatorPipeline?] = [nil]
        var joinWidths = [0]
        var joinInputKinds: [StreamKind] = [.stream]
        var merge = lastNode
        while plan.nodes[merge].inputs.count == 1 { merge = plan.nodes[merge].inputs[0] }
        let isUnion = current.inputs.count > 1 && plan.nodes[merge].op.isUnionAll
        switch current.inputs.count {
        case 1:
            pipeline = try OperatorPipeline(plan: plan, after: current.input, through: lastNode, functions: functions, store: store, partition: partition)
        case _ where isUnion:
            let sides = plan.nodes[merge].inputs
            guard sides.count == current.inputs.count, let post = OperatorPipeline.chain(plan, from: merge, to: lastNode) else {
                throw EvaluationError("0A000", "a UNION ALL branch that joins or re-keys is not executed yet")
            }
            branches = []
            for (side, entry) in current.inputs.enumerated() {
                guard let chain = OperatorPipeline.chain(plan, from: entry, to: sides[side]) else {
                    throw EvaluationError("0A000", "a UNION ALL branch that joins or re-keys is not executed yet")
                }
                branches.append(try OperatorPipeline(plan: plan, chain: chain, input: entry, functions: functions, store: nil))
            }
            joinWidths = sides.map { plan.nodes[$0].schema.count }
            joinInputKinds = sides.map { plan.nodes[$0].kind }
            pipeline = try OperatorPipeline(plan: plan, chain: post, input: merge, functions: functions, store: store, partition: partition)
        case _:
            // Joins: usually one, over two inputs. Tables joined on one key chain several joins in the stage (a stream
            // out of a join is re-keyed into a stage of its own instead, see StreamPlanner).
            var node = lastNode
            while plan.nodes[node].inputs.count == 1 { node = plan.nodes[node].inputs[0] }
            guard case .join = plan.nodes[node].op, let post = OperatorPipeline.chain(plan, from: node, to: lastNode) else {
                throw EvaluationError("0A000", "this query's dataflow (\(plan.nodes[node].name)) is not executed yet")
            }
            guard let store else { throw EvaluationError("0A000", "a join needs a state store") }
            branches = Array(repeating: nil, count: current.inputs.count)
            joinWidths = Array(repeating: 0, count: current.inputs.count)
            joinInputKinds = Array(repeating: .stream, count: current.inputs.count)
            var steps: [JoinStep] = []
            /// Adds the join at `joinNode` after the joins it reads; returns its index in `steps`.
            func addJoin(_ joinNode: Int) throws -> Int {
                guard case .join(let definition, let stores) = plan.nodes[joinNode].op else {
                    throw EvaluationError("0A000", "this query's dataflow (\(plan.nodes[joinNode].name)) is not executed yet")
                }
                let sides = plan.nodes[joinNode].inputs
                var stepSides: [JoinStep.Side] = []
                for side in sides {
                    // Down through single-input operators to a stage input or another join.
                    var entry = side
                    while !current.inputs.contains(entry), plan.nodes[entry].inputs.count == 1, !plan.nodes[entry].op.isJoin {
                        entry = plan.nodes[entry].inputs[0]
                    }
                    let chain = OperatorPipeline.chain(plan, from: entry, to: side) ?? []
                    if let k = current.inputs.firstIndex(of: entry) {
                        branches[k] = try OperatorPipeline(plan: plan, chain: chain, input: entry, functions: functions, store: nil)
                        joinWidths[k] = plan.nodes[side].schema.count
                        joinInputKinds[k] = plan.nodes[side].kind
                        stepSides.append(.input(k))
                    } else if plan.nodes[entry].op.isJoin {
                        let inner = try addJoin(entry)
                        let between = chain.isEmpty ? nil : try OperatorPipeline(plan: plan, chain: chain, input: entry, functions: functions, store: nil)
                        stepSides.append(.join(inner, between))
                    } else {
                        throw EvaluationError("0A000", "joins of more than two inputs without a repartition between them are not executed yet")
                    }
                }
                let widths = sides.map { plan.nodes[$0].schema.count }
                let shape: JoinOperator.Shape
                switch (plan.nodes[sides[0]].kind, plan.nodes[sides[1]].kind) {
                case (.stream, .table): shape = .streamTable
                case (.table, .table): shape = definition.leftPrimaryKey != nil ? .foreignKey : .tableTable
                case (.stream, .stream): shape = .streamStream
                case (.table, .stream): throw EvaluationError("0A000", "a table-stream join is not executed; put the stream on the left")
                }
                let families = try stores.map { try store.columnFamily($0.name) }
                guard widths[0] + widths[1] == plan.nodes[joinNode].schema.count else {
                    throw EvaluationError("XX000", "join \(plan.nodes[joinNode].name): input widths \(widths) do not add up to its \(plan.nodes[joinNode].schema.count) columns")
                }
                let read = plan.readColumns()[joinNode]
                let op = try JoinOperator(definition: definition, shape: shape, leftWidth: widths[0], rightWidth: widths[1],
                                          families: shape == .streamTable ? [nil, families.first] : families, functions: functions,
                                          read: (0..<(widths[0] + widths[1])).map { read.contains($0) }, partition: partition)
                steps.append(JoinStep(op: op, sides: stepSides))
                return steps.count - 1
            }
            _ = try addJoin(node)
            joins = steps
            pipeline = try OperatorPipeline(plan: plan, chain: post, input: node, functions: functions, store: store, partition: partition)
        }

        // The changelog: restore the stage's state from it when the store has lost it (no committed offsets here).
        if changelog, let store, let offsetsFamily, let topic = Self.changelogTopic(of: plan, stage: current) {
            let changelogPartition = TopicPartition(topic, partition)
            self.changelog = changelogPartition
            familyNames[offsetsFamily.index] = offsetsFamily.name
            for (_, name) in Self.storeFamilies(of: plan, stage: current, partition: partition) {
                let family = try store.columnFamily(name)
                familyNames[family.index] = family.name
            }
            let firstInput: TopicBinding
            if case .source(let source) = plan.nodes[current.input].op { firstInput = source } else { firstInput = Self.repartitionBinding(plan, node: current.input)! }
            if try Self.committedOffset(store, offsetsFamily, queryID: queryID, partition: TopicPartition(firstInput.topic, partition)) == nil {
                try Self.restore(from: changelogPartition, client: client, store: store)
            }
        } else {
            self.changelog = nil
        }

        // The inputs.
        var inputs: [Input] = []
        for (side, entry) in current.inputs.enumerated() {
            let binding: TopicBinding
            if case .source(let source) = plan.nodes[entry].op {
                binding = source
            } else {
                binding = Self.repartitionBinding(plan, node: entry)!
            }
            // UNION ALL of topics with different partition counts: this task reads the inputs that have its partition.
            if isUnion && Int(partition) >= binding.partitions { continue }
            let topicPartition = TopicPartition(binding.topic, partition)
            let internalInput = plan.nodes[entry].op.isRepartition
            var positionColumns: (Int, Int)?
            if internalInput, let p = binding.schema.index(of: "ROWPARTITION"), let o = binding.schema.index(of: "ROWOFFSET"),
                binding.schema[p].role == .pseudo, binding.schema[o].role == .pseudo {
                positionColumns = (p, o)
            }
            let offsets = try client.offsets(of: topicPartition)
            let position: Offset
            if let committed = try Self.committedOffset(store, offsetsFamily, queryID: queryID, partition: topicPartition) {
                position = max(committed, offsets.start)
            } else {
                // Internal stages always read everything the stage before them wrote, and the table side of a join
                // reads the whole table.
                // So does a table gathering for a foreign-key join (a repartition that carries a table).
                let whole = start == .earliest || internalInput || (!isUnion && current.inputs.count > 1 && joinInputKinds[side] == .table)
                    || (plan.nodes[entry].kind == .table && plan.nodes[lastNode].op.isRepartition && plan.nodes[lastNode].kind == .table)
                position = whole ? offsets.start : offsets.end
            }
            let prefix = queryID + "/applied/" + String(partition) + (current.inputs.count > 1 ? "/" + binding.topic : "")
            var upstreamTableFunction = false
            var node = entry
            while let first = plan.nodes[node].inputs.first {
                // EXPLODE and table changes (a retraction and an addition) make several rows of one source record.
                switch plan.nodes[first].op {
                case .tableFunction, .tableChanges: upstreamTableFunction = true
                default: break
                }
                node = first
            }
            let unread = internalInput ? [] : plan.unreadColumns(of: entry)
            inputs.append(Input(partition: topicPartition, decoder: try SourceDecoder(binding: binding, partition: partition, queryID: queryID, unread: unread),
                                position: position, branch: branches[side], joinWidth: joinWidths[side], sourcePositionColumns: positionColumns,
                                appliedKeyPrefix: prefix, rowsShareOffsets: upstreamTableFunction))
        }
        self.inputs = inputs

        if case .repartition(let key, _) = plan.nodes[lastNode].op {
            let binding = Self.repartitionBinding(plan, node: lastNode)!
            let width = plan.nodes[lastNode].schema.count
            let compiled = try key.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: width, functions: functions) }
            // Re-keyed rows meet a table in a join: partition them the way that table's key format partitions.
            var keyFormat = "KAFKA"
            if let consumer = plan.nodes.first(where: { $0.inputs.contains(lastNode) }), case .join = consumer.op,
                let other = consumer.inputs.first(where: { $0 != lastNode }), let table = Self.upstreamSource(plan, of: other) {
                keyFormat = table.keyFormat
            }
            sink = try SinkEncoder(internal: binding, key: compiled, partitionKeyFormat: keyFormat)
            deliver = nil
        } else {
            switch output {
            case .sink(let target):
                sink = try SinkEncoder(binding: target, schema: pipeline.outputSchema, queryID: queryID)
                deliver = nil
            case .client(let callback):
                sink = nil
                deliver = callback
            }
        }
        counters.position = inputs.reduce(0) { $0 + $1.position }
    }

    public var metrics: Metrics { metricsLock.withLock { counters } }
    public var isFinished: Bool { finished }

    /// Processes what the partition has past the current position, up to about `maxBytes`.
    ///
    /// A stateless pipeline commits its input offset after every batch. An aggregation folds batches into its cache
    /// (ksqlDB's record cache) and the task flushes, writing the changed state, emitting one update per changed key
    /// and committing the offset in one store write, when the cache holds `flushStateCount` keys, when
    /// `flushInterval` has passed since the first uncommitted batch (defaults 200,000 keys and 2 s), or when the input
    /// has nothing more to give.
    /// Until that flush nothing is committed, so a crash replays the uncommitted input into the committed state.
    public func step(maxBytes: Int = 1 << 20) throws -> StepResult {
        if finished { return .finished }
        var batches: [StreamBatch] = []
        var decoded = 0
        var skipped = 0
        var endOffset: Offset = 0
        var nextPositions: [Offset?] = []
        var branchErrors: [(offset: Int64, error: EvaluationError)] = []
        var raw: [StreamBatch?] = []
        var caughtUp: [Bool] = []
        var highWatermarks: [Offset] = []
        for k in inputs.indices {
            if let carried = inputs[k].carried {
                inputs[k].carried = nil
                endOffset += carried.highWatermark
                decoded += carried.rows.count
                raw.append(carried.rows)
                // Caught up only if no record arrived since the fetch that brought them: this input's rows must hold
                // the others back as a new fetch's would.
                caughtUp.append(try carried.caughtUp && client.offsets(of: inputs[k].partition).end <= carried.next)
                highWatermarks.append(carried.highWatermark)
                nextPositions.append(carried.next)
                continue
            }
            let records = try client.fetch(inputs[k].partition, from: inputs[k].position, maxBytes: maxBytes / inputs.count)
            endOffset += records.highWatermark
            highWatermarks.append(records.highWatermark)
            guard let next = records.nextOffset, !records.isEmpty else {
                raw.append(nil)
                caughtUp.append(true)
                nextPositions.append(nil)
                continue
            }
            var batch = StreamBatch(columnCount: inputs[k].decoder.columnCount)
            // Room for every record fetched (offsets are dense but for compaction): no regrowth while decoding.
            batch.reserveCapacity(Int(min(max(next - inputs[k].position, 0), 1 << 16)))
            let skippedBefore = inputs[k].decoder.skipped
            try inputs[k].decoder.decode(records, from: inputs[k].position, into: &batch, log: processingLog)
            decoded += batch.count
            skipped += inputs[k].decoder.skipped - skippedBefore
            raw.append(batch)
            caughtUp.append(next >= records.highWatermark)
            nextPositions.append(next)
        }
        var carry = [Carried?](repeating: nil, count: inputs.count)
        if !joins.isEmpty {
            decoded -= alignByTime(&raw, caughtUp: caughtUp, highWatermarks: highWatermarks, nextPositions: &nextPositions, carry: &carry)
        }
        for k in inputs.indices {
            guard var batch = raw[k] else {
                batches.append(StreamBatch(columnCount: inputs[k].joinWidth))
                continue
            }
            if inputs[k].sourcePositionColumns != nil { batch = try dropReplayedRows(batch, input: k, &pendingWrites) }
            if var branch = inputs[k].branch {
                let (out, errors) = try branch.process(batch, store: nil)
                inputs[k].branch = branch
                branchErrors += errors
                batch = out.isEmpty ? StreamBatch(columnCount: inputs[k].joinWidth) : out
            }
            batches.append(batch)
        }
        metricsLock.withLock { counters.endOffset = endOffset }
        guard nextPositions.contains(where: { $0 != nil }) else {
            if uncommittedSince != nil { try flush() }
            return finished ? .finished : .idle
        }
        var input = batches[0]
        for other in batches.dropFirst() where joins.isEmpty { input.append(contentsOf: other) }
        var late: [(offset: Int64, message: String)] = []
        if !joins.isEmpty, let store {
            var outputs: [StreamBatch] = []
            outputs.reserveCapacity(joins.count)
            for j in joins.indices {
                var sides: [StreamBatch] = []
                for s in 0..<2 {
                    switch joins[j].sides[s] {
                    case .input(let k):
                        sides.append(batches[k])
                    case .join(let inner, nil):
                        sides.append(outputs[inner])
                    case .join(let inner, var between?):
                        let (out, errors) = try between.process(outputs[inner], store: nil)
                        joins[j].sides[s] = .join(inner, between)
                        branchErrors += errors
                        sides.append(out)
                    }
                }
                var context = EvaluationContext()
                // In place: the join's staged state must not be copied once per batch.
                outputs.append(try joins[j].op.process(left: sides[0], right: sides[1], store: store, context: &context))
                late += joins[j].op.takeLateRecords()
                branchErrors += context.errors.map { (-1, $0.value) }
            }
            input = outputs[outputs.count - 1]
        }
        let (output, errors) = try pipeline.process(input, store: store)
        record(branchErrors + errors)
        for (offset, message) in late + pipeline.takeLateRecords() {
            processingLog?.record(ProcessingLogEntry(kind: .lateRecord, queryID: queryID, topic: partition.topic,
                                                     partition: partition.partition, offset: offset, message: message))
        }
        try emit(output)
        if pipeline.isFinished { finished = true }
        for (k, next) in nextPositions.enumerated() {
            if let next { inputs[k].position = next }
            if let rows = carry[k] { inputs[k].carried = rows }
        }
        if uncommittedSince == nil { uncommittedSince = clock.monotonicNanoseconds() }
        metricsLock.withLock {
            counters.recordsIn += decoded + skipped
            counters.errors += skipped + errors.count + branchErrors.count
            counters.lateRecords = pipeline.lateRecords + joins.reduce(0) { $0 + $1.op.lateRecords }
        }
        let pending = pipeline.pendingStateCount + joins.reduce(0) { $0 + $1.op.pendingCount }
        if finished || pipeline.pendingStateCount == 0 || pending >= flushStateCount
            || clock.monotonicNanoseconds() - uncommittedSince! >= flushInterval {
            try flush()
        }
        return finished ? .finished : .progressed(records: decoded)
    }

    /// Flushes what the task has processed but not committed (at shutdown; the task must not be stepping).
    public func flushPending() throws {
        if uncommittedSince != nil && !finished { try flush() }
    }

    /// Writes the cached state, emits its updated rows, and commits them with the input position in one store write.
    private func flush() throws {
        let (output, errors) = try pipeline.flush(into: &pendingWrites, store: store)
        record(errors)
        for j in joins.indices { joins[j].op.flush(into: &pendingWrites) }
        do {
            try emit(output)
            try commit(&pendingWrites)
        } catch {
            pipeline.discardCache()
            for j in joins.indices { joins[j].op.discard() }
            throw error
        }
        // Reuse the buffer (growing it again would page-fault fresh memory on every commit), unless it is large.
        if pendingWrites.byteCount > 64 << 20 { pendingWrites = StateWriteBatch() } else { pendingWrites.removeAll() }
        uncommittedSince = nil
        metricsLock.withLock { counters.position = inputs.reduce(0) { $0 + $1.position } }
    }

    private func emit(_ output: StreamBatch) throws {
        if output.isEmpty { return }
        if var sink {
            try sink.write(output, to: client)
            self.sink = sink
        } else if let deliver, !deliver(output, pipeline.outputSchema) {
            finished = true
        }
        metricsLock.withLock { counters.recordsOut += output.count }
    }

    private func record(_ errors: [(offset: Int64, error: EvaluationError)]) {
        for (offset, error) in errors {
            processingLog?.record(ProcessingLogEntry(kind: .expression, queryID: queryID, topic: partition.topic,
                                                     partition: partition.partition, offset: offset, message: error.message))
        }
    }

    // MARK: - Exactly-once across repartitions

    /// A stage before a repartition may crash after writing rows but before committing its input offset; on
    /// restart it writes those rows again. Rows from one source partition reach a repartition partition in source
    /// offset order, so this stage drops rows whose source offset is at or below the highest it has applied for that
    /// source partition (including earlier rows of the same fetch), and records the new highest in the same write
    /// batch as its state. Aggregates therefore count every source record exactly once. Where a table function made
    /// several rows of one record, they arrive consecutively and are kept together; a replay of exactly the last
    /// record right behind it in the same fetch is then indistinguishable from its siblings.
    /// A join's inputs advance together in event time (Kafka Streams picks the buffered record with the lowest
    /// timestamp across a task's partitions): when an input that has more in its log fetched a shorter span of time
    /// than another, the other's rows past that span wait for a later step, so that stream time does not run ahead
    /// of records that are merely still unread (which the join would otherwise count as late). An input that has
    /// caught up with its log does not hold the others back. The rows held back are kept (`carry`) for the next step
    /// rather than fetched and decoded again: a side with fewer records per second of event time (auctions beside
    /// bids) would otherwise decode most of each fetch several times.
    /// Returns how many decoded rows were put back.
    private func alignByTime(
        _ batches: inout [StreamBatch?], caughtUp: [Bool], highWatermarks: [Offset], nextPositions: inout [Offset?], carry: inout [Carried?]
    ) -> Int {
        var cutoff = Int64.max
        for k in batches.indices where !caughtUp[k] {
            if let batch = batches[k], let last = batch.timestamps.max() { cutoff = min(cutoff, last) }
        }
        guard cutoff != .max else { return 0 }
        var deferred = 0
        for k in batches.indices {
            guard let batch = batches[k], let cut = batch.timestamps.firstIndex(where: { $0 > cutoff }) else { continue }
            let resume = batch.offsets[cut]
            deferred += batch.count - cut
            if let next = nextPositions[k] {
                carry[k] = Carried(rows: batch.gathering(Array(cut..<batch.count)), next: next, caughtUp: caughtUp[k], highWatermark: highWatermarks[k])
            }
            batches[k] = cut == 0 ? nil : batch.gathering(Array(0..<cut))
            nextPositions[k] = cut == 0 ? nil : resume
        }
        return deferred
    }

    private func dropReplayedRows(_ batch: StreamBatch, input k: Int, _ writes: inout StateWriteBatch) throws -> StreamBatch {
        guard let (pColumn, oColumn) = inputs[k].sourcePositionColumns, let store, let offsetsFamily else { return batch }
        let appliedKeyPrefix = inputs[k].appliedKeyPrefix
        var keep: [Int] = []
        var highest: [Int32: Offset] = [:]
        /// The row last kept per source partition: the next row with the same offset is its sibling (one source
        /// record EXPLODEd into several rows) only if it directly follows it.
        var lastKeptRow: [Int32: Int] = [:]
        for row in 0..<batch.count {
            guard case .int(let p) = batch.columns[pColumn][row], case .bigint(let o) = batch.columns[oColumn][row] else {
                keep.append(row)
                continue
            }
            if inputs[k].appliedSourceOffsets[p] == nil {
                inputs[k].appliedSourceOffsets[p] = try Self.committedOffset(store, offsetsFamily, queryID: appliedKeyPrefix, partition: TopicPartition("source", p)) ?? -1
            }
            // Compare with what this batch has applied too: a replay can land in the same fetch as the rows it
            // repeats ([3, 4, 5, 3, 4, 5]), and must be dropped there as well.
            let applied = highest[p] ?? inputs[k].appliedSourceOffsets[p]!
            let sibling = inputs[k].rowsShareOffsets && o == highest[p] && lastKeptRow[p] == keep.last && keep.last == row - 1
            if o > applied || sibling {
                keep.append(row)
                highest[p] = o
                lastKeptRow[p] = row
            }
        }
        for (p, o) in highest {
            inputs[k].appliedSourceOffsets[p] = o
            withUnsafeBytes(of: o.bigEndian) { value in
                Self.offsetKey(queryID: appliedKeyPrefix, partition: TopicPartition("source", p)).withUnsafeBytes { key in
                    writes.put(key, value, in: offsetsFamily)
                }
            }
        }
        return keep.count == batch.count ? batch : batch.gathering(keep)
    }

    // MARK: - Committed offsets

    /// The state-store column family that holds every query's committed input offsets.
    static let offsetsFamilyName = "__offsets"

    /// Deletes every offset a query's tasks committed (input positions and applied source offsets), so a query
    /// started again under the same id reads its inputs from where a new query would.
    public static func forgetCommittedOffsets(_ store: any StateStore, queryID: String) throws {
        let family = try store.columnFamily(offsetsFamilyName)
        var writes = StateWriteBatch()
        // Keys are `<queryID>\0<topic>\0<partition>` and `<queryID>/applied/…`: the two ranges after the id (exactly
        // these, so that another id that merely starts with this one, a quoted name with a `/`, is not touched).
        for (from, to) in [("\u{0}", "\u{1}"), ("/applied/", "/applied0")] {
            try store.scan(family, from: Array((queryID + from).utf8), to: Array((queryID + to).utf8)) { key, _ in
                writes.delete(key, in: family)
                return true
            }
        }
        if !writes.isEmpty { try store.write(writes, sync: true) }
    }

    static func offsetKey(queryID: String, partition: TopicPartition) -> [UInt8] {
        Array("\(queryID)\u{0}\(partition.topic)\u{0}\(partition.partition)".utf8)
    }

    /// Commits the next offset together with the state changes staged for this batch.
    private func commit(_ writes: inout StateWriteBatch) throws {
        guard let store, let offsetsFamily else { return }
        for input in inputs {
            withUnsafeBytes(of: input.position.bigEndian) { value in
                Self.offsetKey(queryID: queryID, partition: input.partition).withUnsafeBytes { key in
                    writes.put(key, value, in: offsetsFamily)
                }
            }
        }
        if let changelog { try mirror(writes, to: changelog) }
        try store.write(writes, sync: false)
    }

    // MARK: - Changelog

    /// Appends one commit's operations to the changelog as one record batch, before the store write: a record's key
    /// is the family name (length-prefixed) and the state key, its value the new value or NULL for a delete. A range
    /// delete becomes a NULL for each key the store holds in the range, first (the store applies it first), so that
    /// compaction removes what it deleted. The batch carries the input offsets too, so a restore ends at a
    /// consistent cut.
    private func mirror(_ writes: StateWriteBatch, to changelog: TopicPartition) throws {
        var batch = ProducerBatch()
        var key: [UInt8] = []
        let now = clock.milliseconds()
        func append(_ name: String, _ stateKey: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) {
            key.removeAll(keepingCapacity: true)
            key.append(UInt8(truncatingIfNeeded: name.utf8.count))
            key.append(contentsOf: name.utf8)
            key.append(contentsOf: stateKey)
            key.withUnsafeBytes { k in batch.append(timestamp: now, key: k, value: value) }
        }
        var ranges: [(name: String, begin: [UInt8], end: [UInt8])] = []
        writes.forEach { operation, familyIndex, stateKey, value in
            guard let name = familyNames[familyIndex] else { return }
            if operation == .deleteRange { ranges.append((name, Array(stateKey), Array(value))) }
        }
        if let store {
            for range in ranges {
                try store.scan(try store.columnFamily(range.name), from: range.begin, to: range.end) { stateKey, _ in
                    append(range.name, stateKey, nil)
                    return true
                }
            }
        }
        writes.forEach { operation, familyIndex, stateKey, value in
            guard operation != .deleteRange, let name = familyNames[familyIndex] else { return }
            append(name, stateKey, operation == .put ? value : nil)
        }
        if !batch.isEmpty { _ = try client.produce(&batch, to: changelog) }
    }

    /// Rebuilds a stage's state from its changelog partition (the RocksDB directory was lost or is new).
    static func restore(from changelog: TopicPartition, client: any LogClient, store: any StateStore) throws {
        let (start, end) = try client.offsets(of: changelog)
        var position = start
        var reader = FetchReader()
        var families: [String: ColumnFamily] = [:]
        while position < end {
            let fetched = try client.fetch(changelog, from: position, maxBytes: 4 << 20)
            guard let next = fetched.nextOffset else { break }
            var writes = StateWriteBatch()
            var failure: (any Error)?
            try fetched.forEachRecord(from: position, reader: &reader) { record in
                guard failure == nil, let key = record.key, key.count >= 1 else { return }
                let nameLength = Int(key[0])
                guard key.count >= 1 + nameLength else { return }
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: key[1..<(1 + nameLength)]), as: UTF8.self)
                let stateKey = UnsafeRawBufferPointer(rebasing: key[(1 + nameLength)...])
                do {
                    let family = try families[name] ?? store.columnFamily(name)
                    families[name] = family
                    if let value = record.value { writes.put(stateKey, value, in: family) } else { writes.delete(stateKey, in: family) }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            try store.write(writes, sync: false)
            position = next
        }
    }

    static func committedOffset(_ store: (any StateStore)?, _ family: ColumnFamily?, queryID: String, partition: TopicPartition) throws -> Offset? {
        guard let store, let family, let bytes = try store.get(offsetKey(queryID: queryID, partition: partition), in: family), bytes.count == 8 else {
            return nil
        }
        return bytes.withUnsafeBytes { Offset(bigEndian: $0.loadUnaligned(as: Int64.self)) }
    }
}
