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
    public let partition: TopicPartition
    private let client: any LogClient
    private let store: (any StateStore)?
    private let offsetsFamily: ColumnFamily?
    private let processingLog: (any ProcessingLog)?
    private var decoder: SourceDecoder
    private var pipeline: OperatorPipeline
    private var sink: SinkEncoder?
    private let deliver: (@Sendable (StreamBatch, Schema) -> Bool)?
    private var position: Offset
    private var finished = false
    /// For stages after a repartition: where ROWPARTITION and ROWOFFSET of the original source record sit in the
    /// row, and the highest source offset applied per source partition (kept in the store with the state).
    private let sourcePositionColumns: (partition: Int, offset: Int)?
    private var appliedSourceOffsets: [Int32: Offset] = [:]
    private let metricsLock = Lock()
    private var counters = Metrics()
    /// State changes and applied source offsets not yet committed, and when the oldest of them was staged.
    private var pendingWrites = StateWriteBatch()
    private var uncommittedSince: UInt64?
    private let clock: any Clock
    /// An aggregation flushes its cache when it holds this many keys or when this much time has passed.
    public let flushStateCount: Int
    public let flushInterval: UInt64

    /// The stages of `plan`: (input node, last node) pairs, cut after each repartition node.
    public static func stages(of plan: StreamPlan) -> [(input: Int, last: Int)] {
        var stages: [(Int, Int)] = []
        var start = 0
        for node in plan.nodes where node.id > 0 {
            if case .repartition = node.op {
                stages.append((start, node.id))
                start = node.id
            }
        }
        stages.append((start, plan.nodes.count - 1))
        return stages
    }

    /// The internal topics a stage reads (its repartition input) and writes, with their bindings.
    public static func repartitionBinding(_ plan: StreamPlan, node: Int) -> TopicBinding? {
        guard case .repartition(_, let topic) = plan.nodes[node].op, case .source(let source) = plan.nodes[0].op else { return nil }
        return TopicBinding(topic: topic, keyFormat: SourceDecoder.internalFormat, valueFormat: SourceDecoder.internalFormat,
                            partitions: source.partitions, schema: plan.nodes[node].schema)
    }

    public init(
        queryID: String, plan: StreamPlan, stage: Int = 0, partition: PartitionID, client: any LogClient, store: (any StateStore)?,
        output: Output, start: StartPosition, functions: ScalarFunctionLibrary, processingLog: (any ProcessingLog)? = nil,
        clock: any Clock = SystemClock(), flushStateCount: Int = 50_000, flushIntervalMilliseconds: Int = 100
    ) throws {
        self.clock = clock
        self.flushStateCount = flushStateCount
        self.flushInterval = UInt64(flushIntervalMilliseconds) * 1_000_000
        let stages = Self.stages(of: plan)
        guard stage < stages.count else { throw EvaluationError("0A000", "query \(queryID) has no stage \(stage)") }
        let (inputNode, lastNode) = stages[stage]
        let input: TopicBinding
        if stage == 0 {
            guard case .source(let binding) = plan.nodes[0].op else { throw EvaluationError("0A000", "a query starts at a source") }
            input = binding
        } else {
            input = Self.repartitionBinding(plan, node: inputNode)!
        }
        self.queryID = queryID
        self.stage = stage
        self.partition = TopicPartition(input.topic, partition)
        self.client = client
        self.store = store
        self.processingLog = processingLog
        decoder = try SourceDecoder(binding: input, partition: partition, queryID: queryID)
        pipeline = try OperatorPipeline(plan: plan, after: inputNode, through: lastNode, functions: functions, store: store)
        if case .repartition(let key, _) = plan.nodes[lastNode].op {
            let binding = Self.repartitionBinding(plan, node: lastNode)!
            let width = plan.nodes[lastNode].schema.count
            let compiled = try key.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: width, functions: functions) }
            sink = try SinkEncoder(internal: binding, key: compiled)
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
        offsetsFamily = try store?.columnFamily("__offsets")
        if stage > 0, let p = input.schema.index(of: "ROWPARTITION"), let o = input.schema.index(of: "ROWOFFSET"),
            input.schema[p].role == .pseudo, input.schema[o].role == .pseudo {
            sourcePositionColumns = (p, o)
        } else {
            sourcePositionColumns = nil
        }
        let offsets = try client.offsets(of: self.partition)
        if let committed = try Self.committedOffset(store, offsetsFamily, queryID: queryID, partition: self.partition) {
            position = max(committed, offsets.start)
        } else {
            // Internal stages always read everything the stage before them wrote.
            position = start == .earliest || stage > 0 ? offsets.start : offsets.end
        }
        counters.position = position
    }

    public var metrics: Metrics { metricsLock.withLock { counters } }
    public var isFinished: Bool { finished }

    /// Processes what the partition has past the current position, up to about `maxBytes`.
    ///
    /// A stateless pipeline commits its input offset after every batch. An aggregation folds batches into its cache
    /// (ksqlDB's record cache) and the task flushes, writing the changed state, emitting one update per changed key
    /// and committing the offset in one store write, when the cache holds `flushStateCount` keys, when
    /// `flushInterval` has passed since the first uncommitted batch, or when the input has nothing more to give.
    /// Until that flush nothing is committed, so a crash replays the uncommitted input into the committed state.
    public func step(maxBytes: Int = 1 << 20) throws -> StepResult {
        if finished { return .finished }
        let records = try client.fetch(partition, from: position, maxBytes: maxBytes)
        metricsLock.withLock { counters.endOffset = records.highWatermark }
        guard let next = records.nextOffset, !records.isEmpty else {
            if uncommittedSince != nil { try flush() }
            return finished ? .finished : .idle
        }
        var batch = StreamBatch(columnCount: decoder.columnCount)
        let skippedBefore = decoder.skipped
        try decoder.decode(records, from: position, into: &batch, log: processingLog)
        let decoded = batch.count
        if sourcePositionColumns != nil { batch = try dropReplayedRows(batch, &pendingWrites) }
        let (output, errors) = try pipeline.process(batch, store: store)
        record(errors)
        try emit(output)
        if pipeline.isFinished { finished = true }
        position = next
        if uncommittedSince == nil { uncommittedSince = clock.monotonicNanoseconds() }
        let skipped = decoder.skipped - skippedBefore
        metricsLock.withLock {
            counters.recordsIn += decoded + skipped
            counters.errors += skipped + errors.count
            counters.lateRecords = pipeline.lateRecords
        }
        if finished || pipeline.pendingStateCount == 0 || pipeline.pendingStateCount >= flushStateCount
            || clock.monotonicNanoseconds() - uncommittedSince! >= flushInterval {
            try flush()
        }
        return finished ? .finished : .progressed(records: decoded)
    }

    /// Writes the cached state, emits its updated rows, and commits them with the input position in one store write.
    private func flush() throws {
        let (output, errors) = try pipeline.flush(into: &pendingWrites, store: store)
        record(errors)
        do {
            try emit(output)
            try commit(&pendingWrites)
        } catch {
            pipeline.discardCache()
            throw error
        }
        pendingWrites = StateWriteBatch()
        uncommittedSince = nil
        metricsLock.withLock { counters.position = position }
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
    /// offset order, and one source record's rows always arrive in one fetched batch, so this stage drops rows whose
    /// source offset is at or below the highest it has applied for that source partition, and records the new highest
    /// in the same write batch as its state. Aggregates therefore count every source record exactly once.
    private func dropReplayedRows(_ batch: StreamBatch, _ writes: inout StateWriteBatch) throws -> StreamBatch {
        guard let (pColumn, oColumn) = sourcePositionColumns, let store, let offsetsFamily else { return batch }
        var keep: [Int] = []
        var highest: [Int32: Offset] = [:]
        for row in 0..<batch.count {
            guard case .int(let p) = batch.columns[pColumn][row], case .bigint(let o) = batch.columns[oColumn][row] else {
                keep.append(row)
                continue
            }
            if appliedSourceOffsets[p] == nil {
                appliedSourceOffsets[p] = try Self.committedOffset(store, offsetsFamily, queryID: appliedKeyPrefix, partition: TopicPartition("source", p)) ?? -1
            }
            if o > appliedSourceOffsets[p]! {
                keep.append(row)
                highest[p] = max(highest[p] ?? o, o)
            }
        }
        for (p, o) in highest {
            appliedSourceOffsets[p] = o
            withUnsafeBytes(of: o.bigEndian) { value in
                Self.offsetKey(queryID: appliedKeyPrefix, partition: TopicPartition("source", p)).withUnsafeBytes { key in
                    writes.put(key, value, in: offsetsFamily)
                }
            }
        }
        return keep.count == batch.count ? batch : batch.gathering(keep)
    }

    /// Where this task records the source offsets it applied: one key per (task partition, source partition).
    private var appliedKeyPrefix: String { queryID + "/applied/" + String(partition.partition) }

    // MARK: - Committed offsets

    static func offsetKey(queryID: String, partition: TopicPartition) -> [UInt8] {
        Array("\(queryID)\u{0}\(partition.topic)\u{0}\(partition.partition)".utf8)
    }

    /// Commits the next offset together with the state changes staged for this batch.
    private func commit(_ writes: inout StateWriteBatch) throws {
        guard let store, let offsetsFamily else { return }
        withUnsafeBytes(of: position.bigEndian) { value in
            Self.offsetKey(queryID: queryID, partition: partition).withUnsafeBytes { key in
                writes.put(key, value, in: offsetsFamily)
            }
        }
        try store.write(writes, sync: false)
    }

    static func committedOffset(_ store: (any StateStore)?, _ family: ColumnFamily?, queryID: String, partition: TopicPartition) throws -> Offset? {
        guard let store, let family, let bytes = try store.get(offsetKey(queryID: queryID, partition: partition), in: family), bytes.count == 8 else {
            return nil
        }
        return bytes.withUnsafeBytes { Offset(bigEndian: $0.loadUnaligned(as: Int64.self)) }
    }
}
