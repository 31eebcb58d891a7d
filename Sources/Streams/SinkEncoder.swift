import Broker
import Relational
import SluiceCore

/// Writes rows to a topic: key columns with the key format, value columns with the value format, the row's ROWTIME
/// as the record timestamp, each record to the partition Kafka's default partitioner picks for its key bytes (rows
/// without a key go round-robin). A `delete` row of a table becomes a tombstone (null value). One per task.
public struct SinkEncoder {
    let binding: TopicBinding
    let queryID: String
    private var keyEncoder: RecordEncoder
    private var valueEncoder: RecordEncoder
    private let keyPositions: [Int]
    private let valuePositions: [Int]
    private var keyBytes: [UInt8] = []
    private var valueBytes: [UInt8] = []
    private var keyValues: [Value] = []
    private var valueValues: [Value] = []
    private var nextRoundRobin = 0
    /// For windowed results: where the window bounds sit in the row; the key is written in ksqlDB's windowed-key
    /// format (key, then the window start as 8 big-endian bytes; sessions: key, end, start).
    private var windowColumns: (start: Int, end: Int)?
    /// For internal topics: the expressions whose values key (and so partition) each row.
    private var internalKey: [CompiledExpression]?
    /// Output goes through the idempotent producer path, as external producers' does.
    private var producer: IdempotentProducer

    /// An internal (repartition) topic: the key is the encoded values of `key`, the value the whole row. The
    /// partition is the one Kafka's default partitioner picks for the key serialized in `partitionKeyFormat`, so that
    /// re-keyed rows land in the partition of the same key in a table written with that format (co-partitioning for
    /// joins); keys that format cannot serialize partition by their encoded values.
    public init(internal binding: TopicBinding, key: [CompiledExpression], partitionKeyFormat: String = "KAFKA") throws(EvaluationError) {
        self.binding = binding
        queryID = ""
        keyEncoder = (try? RecordFormat(name: partitionKeyFormat).makeKeyEncoder(columns: key.enumerated().map { ("K\($0.offset)", $0.element.type) })) ?? .none
        valueEncoder = .none
        keyPositions = []
        valuePositions = []
        internalKey = key
        producer = IdempotentProducer(partitions: binding.partitions)
    }

    public init(binding: TopicBinding, schema: Schema, queryID: String) throws(EvaluationError) {
        self.binding = binding
        self.queryID = queryID
        producer = IdempotentProducer(partitions: binding.partitions)
        keyPositions = schema.indices(role: .key)
        valuePositions = schema.indices(role: .value)
        if binding.windowType != nil, let start = schema.index(of: "WINDOWSTART"), let end = schema.index(of: "WINDOWEND"),
            schema[start].role == .pseudo, schema[end].role == .pseudo {
            windowColumns = (start, end)
        }
        do throws(RelationalError) {
            let keyFormat = try RecordFormat(name: binding.keyFormat)
            let valueFormat = try RecordFormat(name: binding.valueFormat)
            // A table without key columns (a global aggregate) writes null keys.
            keyEncoder = keyPositions.isEmpty ? .none : try keyFormat.makeKeyEncoder(columns: keyPositions.map { (schema[$0].name, schema[$0].type) })
            valueEncoder = try valueFormat.makeEncoder(
                columns: valuePositions.map { (schema[$0].name, schema[$0].type) }, wrapSingleValue: binding.wrapSingleValue)
        } catch {
            throw EvaluationError(error.sqlState, "cannot write topic \(binding.topic): \(error.message)")
        }
    }

    /// Producer batches are cut at this size, well under the default max.message.bytes (1 MiB).
    static let batchBytes = 512 << 10

    private mutating func flushIfFull(_ batch: inout ProducerBatch, _ partition: Int, _ client: any LogClient) throws {
        guard batch.sizeInBytes >= Self.batchBytes else { return }
        try producer.produce(&batch, to: binding.topic, partition: partition, client: client)
    }

    /// Encodes `batch` into one producer batch per partition and produces them. Returns the records written.
    @discardableResult
    public mutating func write(_ batch: StreamBatch, to client: any LogClient) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        var perPartition = Array(repeating: ProducerBatch(), count: binding.partitions)
        if let internalKey {
            var context = EvaluationContext()
            let keys = internalKey.map { $0.evaluate(batch.evaluationInput, context: &context) }
            for row in 0..<batch.count {
                keyValues.removeAll(keepingCapacity: true)
                for column in keys { keyValues.append(column[row]) }
                let key = ValueCodec.encode(keyValues)
                var value: [UInt8] = batch.ops[row].isAddition ? [] : [SourceDecoder.retractionMarker]
                for column in batch.columns { ValueCodec.encode(column[row], into: &value) }
                keyBytes.removeAll(keepingCapacity: true)
                let serialized = !keyValues.contains(where: \.isNull) && keyEncoder.encode(keyValues, into: &keyBytes)
                let partition = Int((serialized ? keyBytes : key).withUnsafeBytes { Partitioner.partition(forKey: $0, partitionCount: binding.partitions) })
                perPartition[partition].append(timestamp: batch.timestamps[row], key: key, value: value)
                try flushIfFull(&perPartition[partition], partition, client)
            }
            for p in perPartition.indices where !perPartition[p].isEmpty {
                try producer.produce(&perPartition[p], to: binding.topic, partition: p, client: client)
            }
            return batch.count
        }
        for row in 0..<batch.count {
            keyValues.removeAll(keepingCapacity: true)
            for p in keyPositions { keyValues.append(batch.columns[p][row]) }
            keyBytes.removeAll(keepingCapacity: true)
            let hasKey = !keyPositions.isEmpty && !keyValues.allSatisfy(\.isNull) && keyEncoder.encode(keyValues, into: &keyBytes)
            var hasValue = false
            valueBytes.removeAll(keepingCapacity: true)
            if batch.ops[row].isAddition {
                valueValues.removeAll(keepingCapacity: true)
                for p in valuePositions { valueValues.append(batch.columns[p][row]) }
                hasValue = valueEncoder.encode(valueValues, into: &valueBytes)
            }
            let partition: Int
            if hasKey {
                // Windowed keys partition by the key alone, so that every window of a key is in one partition.
                partition = Int(keyBytes.withUnsafeBytes { Partitioner.partition(forKey: $0, partitionCount: binding.partitions) })
                if let (start, end) = windowColumns {
                    let bounds = binding.windowType == .session ? [batch.columns[end][row], batch.columns[start][row]] : [batch.columns[start][row]]
                    for bound in bounds {
                        withUnsafeBytes(of: (bound.integerValue ?? 0).bigEndian) { keyBytes.append(contentsOf: $0) }
                    }
                }
            } else {
                partition = nextRoundRobin % binding.partitions
                nextRoundRobin += 1
            }
            keyBytes.withUnsafeBytes { k in
                valueBytes.withUnsafeBytes { v in
                    perPartition[partition].append(timestamp: batch.timestamps[row], key: hasKey ? k : nil, value: hasValue ? v : nil)
                }
            }
            try flushIfFull(&perPartition[partition], partition, client)
        }
        for p in perPartition.indices where !perPartition[p].isEmpty {
            try producer.produce(&perPartition[p], to: binding.topic, partition: p, client: client)
        }
        return batch.count
    }
}
