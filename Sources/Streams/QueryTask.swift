import Broker
import Relational
import SluiceCore
import StateStore

/// One partition's share of a query: reads its source partition from the last committed offset, decodes, runs the
/// operators, writes the result (to the sink topic, or to a push query's client), then commits the next offset in
/// the state store. Output goes out before the commit, so a crash repeats rather than loses records
/// (at-least-once). Not thread-safe: the scheduler runs a task on one worker at a time.
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
        public var position: Offset = 0
        public var endOffset: Offset = 0
        public var lag: Offset { max(0, endOffset - position) }
    }

    public let queryID: String
    public let partition: TopicPartition
    private let client: any LogClient
    private let store: (any StateStore)?
    private let offsetsFamily: ColumnFamily?
    private let processingLog: (any ProcessingLog)?
    private var decoder: SourceDecoder
    private var pipeline: StatelessPipeline
    private var sink: SinkEncoder?
    private let deliver: (@Sendable (StreamBatch, Schema) -> Bool)?
    private var position: Offset
    private var finished = false
    private let metricsLock = Lock()
    private var counters = Metrics()

    public init(
        queryID: String, plan: StreamPlan, partition: PartitionID, client: any LogClient, store: (any StateStore)?,
        output: Output, start: StartPosition, functions: ScalarFunctionLibrary, processingLog: (any ProcessingLog)? = nil
    ) throws {
        guard case .source(let binding) = plan.nodes[0].op else {
            throw EvaluationError("0A000", "a query task starts at a source")
        }
        self.queryID = queryID
        self.partition = TopicPartition(binding.topic, partition)
        self.client = client
        self.store = store
        self.processingLog = processingLog
        decoder = try SourceDecoder(binding: binding, partition: partition, queryID: queryID)
        pipeline = try StatelessPipeline(plan: plan, after: 0, through: plan.nodes.count - 1, functions: functions)
        switch output {
        case .sink(let target):
            sink = try SinkEncoder(binding: target, schema: pipeline.outputSchema, queryID: queryID)
            deliver = nil
        case .client(let callback):
            sink = nil
            deliver = callback
        }
        offsetsFamily = try store?.columnFamily("__offsets")
        let offsets = try client.offsets(of: self.partition)
        if let committed = try Self.committedOffset(store, offsetsFamily, queryID: queryID, partition: self.partition) {
            position = max(committed, offsets.start)
        } else {
            position = start == .earliest ? offsets.start : offsets.end
        }
        counters.position = position
    }

    public var metrics: Metrics { metricsLock.withLock { counters } }
    public var isFinished: Bool { finished }

    /// Processes what the partition has past the current position, up to about `maxBytes`.
    public func step(maxBytes: Int = 1 << 20) throws -> StepResult {
        if finished { return .finished }
        let records = try client.fetch(partition, from: position, maxBytes: maxBytes)
        metricsLock.withLock { counters.endOffset = records.highWatermark }
        guard let next = records.nextOffset, !records.isEmpty else { return .idle }
        var batch = StreamBatch(columnCount: decoder.columnCount)
        let skippedBefore = decoder.skipped
        try decoder.decode(records, from: position, into: &batch, log: processingLog)
        let decoded = batch.count
        let (output, errors) = pipeline.process(batch)
        for (offset, error) in errors {
            processingLog?.record(ProcessingLogEntry(kind: .expression, queryID: queryID, topic: partition.topic,
                                                     partition: partition.partition, offset: offset, message: error.message))
        }
        if var sink {
            try sink.write(output, to: client)
            self.sink = sink
        } else if let deliver, !output.isEmpty, !deliver(output, pipeline.outputSchema) {
            finished = true
        }
        if pipeline.isFinished { finished = true }
        position = next
        try commit()
        metricsLock.withLock {
            counters.recordsIn += decoded + (decoder.skipped - skippedBefore)
            counters.recordsOut += output.count
            counters.errors += (decoder.skipped - skippedBefore) + errors.count
            counters.position = position
        }
        return finished ? .finished : .progressed(records: decoded)
    }

    // MARK: - Committed offsets

    static func offsetKey(queryID: String, partition: TopicPartition) -> [UInt8] {
        Array("\(queryID)\u{0}\(partition.topic)\u{0}\(partition.partition)".utf8)
    }

    private func commit() throws {
        guard let store, let offsetsFamily else { return }
        var batch = StateWriteBatch()
        withUnsafeBytes(of: position.bigEndian) { value in
            Self.offsetKey(queryID: queryID, partition: partition).withUnsafeBytes { key in
                batch.put(key, value, in: offsetsFamily)
            }
        }
        try store.write(batch, sync: false)
    }

    static func committedOffset(_ store: (any StateStore)?, _ family: ColumnFamily?, queryID: String, partition: TopicPartition) throws -> Offset? {
        guard let store, let family, let bytes = try store.get(offsetKey(queryID: queryID, partition: partition), in: family), bytes.count == 8 else {
            return nil
        }
        return bytes.withUnsafeBytes { Offset(bigEndian: $0.loadUnaligned(as: Int64.self)) }
    }
}
