import Broker
import Relational
import SluiceCore

/// Turns fetched records of one partition into rows: key and value decoded with the topic's formats into the
/// binding's columns, then ROWTIME (the record timestamp, or the TIMESTAMP column), ROWPARTITION and ROWOFFSET.
/// A record that does not decode is skipped and reported to the processing log. One per task (not thread-safe).
public struct SourceDecoder {
    /// The key and value format of internal (repartition) topics: whole rows in `ValueCodec`.
    public static let internalFormat = "SLUICE_INTERNAL"
    /// The first byte of an internal record that retracts its row (a table aggregation's input); no ValueCodec tag
    /// uses it, so rows without it are additions.
    static let retractionMarker: UInt8 = 0xFE

    let binding: TopicBinding
    let isInternal: Bool
    let partition: PartitionID
    let queryID: String
    private var keyDecoder: RecordDecoder
    private var valueDecoder: RecordDecoder
    private var keyValues: [Value] = []
    private var valueValues: [Value] = []
    private let keyPositions: [Int]
    private let valuePositions: [Int]
    private let timestampColumn: Int?
    private var reader = FetchReader()
    /// The window of the record being decoded (windowed topics): start and end from its key.
    private var window: (start: Value, end: Value) = (.null, .null)
    /// Columns of the produced rows: the binding's, then the pseudo-columns.
    public let columnCount: Int
    public private(set) var skipped = 0

    /// - Parameter unread: columns of the binding's schema that no operator reads; the value decoder may leave them
    ///   NULL where that saves work (JSON strings).
    public init(binding: TopicBinding, partition: PartitionID, queryID: String, unread: Set<Int> = []) throws(EvaluationError) {
        self.binding = binding
        self.partition = partition
        self.queryID = queryID
        let schema = binding.schema
        isInternal = binding.valueFormat == Self.internalFormat
        let valuePositions = schema.indices(role: .value)
        let timestampColumn = binding.timestampColumn.flatMap { schema.index(of: $0) }
        keyPositions = schema.indices(role: .key)
        self.valuePositions = valuePositions
        self.timestampColumn = timestampColumn
        if isInternal {
            keyDecoder = .none
            valueDecoder = .none
            columnCount = schema.count
            return
        }
        do throws(RelationalError) {
            let keyFormat = try RecordFormat(name: binding.keyFormat)
            let valueFormat = try RecordFormat(name: binding.valueFormat)
            keyDecoder = keyPositions.isEmpty ? .none : try keyFormat.makeKeyDecoder(columns: keyPositions.map { (schema[$0].name, schema[$0].type) })
            // The event-time column is read by this decoder itself.
            let unreadValues = Set(valuePositions.indices.filter { unread.contains(valuePositions[$0]) && valuePositions[$0] != timestampColumn })
            valueDecoder = try valueFormat.makeDecoder(
                columns: valuePositions.map { (schema[$0].name, schema[$0].type) }, wrapSingleValue: binding.wrapSingleValue,
                unread: unreadValues)
        } catch {
            throw EvaluationError(error.sqlState, "cannot read topic \(binding.topic): \(error.message)")
        }
        columnCount = schema.count + 3 + (binding.windowType != nil ? 2 : 0)
    }

    /// Appends the rows of `records` at or after `offset` to `batch`.
    public mutating func decode(_ records: FetchedRecords, from offset: Offset, into batch: inout StreamBatch, log: (any ProcessingLog)?) throws {
        let schemaCount = binding.schema.count
        var reader = FetchReader()
        swap(&reader, &self.reader)  // borrow the reusable buffers without copying them
        defer { swap(&reader, &self.reader) }
        if isInternal {
            try decodeInternal(records, from: offset, reader: &reader, into: &batch, log: log)
            return
        }
        try records.forEachRecord(from: offset, reader: &reader) { record in
            do throws(RelationalError) {
                if var key = record.key {
                    if let windowType = binding.windowType {
                        // ksqlDB's windowed keys: the key, then the window start (sessions: end, then start).
                        let suffix = windowType == .session ? 16 : 8
                        guard key.count >= suffix else { throw RelationalError(.malformedRecord, "a windowed key needs \(suffix) bytes of window bounds") }
                        let bounds = UnsafeRawBufferPointer(rebasing: key[(key.count - suffix)...])
                        key = UnsafeRawBufferPointer(rebasing: key[..<(key.count - suffix)])
                        let first = Int64(bigEndian: bounds.loadUnaligned(as: Int64.self))
                        if windowType == .session {
                            window = (.bigint(Int64(bigEndian: bounds.loadUnaligned(fromByteOffset: 8, as: Int64.self))), .bigint(first))
                        } else {
                            window = (.bigint(first), binding.windowSizeMs.map { .bigint(first + $0) } ?? .null)
                        }
                    }
                    _ = try keyDecoder.decode(key, into: &keyValues)
                } else {
                    window = (.null, .null)
                    keyValues = Array(repeating: .null, count: keyPositions.count)
                }
                guard let value = record.value else {
                    // A tombstone: for tables a delete of the key (the table operators handle it); streams skip it.
                    append(values: nil, record: record, schemaCount: schemaCount, op: .delete, into: &batch)
                    return
                }
                let present = try valueDecoder.decode(value, into: &valueValues)
                append(values: present ? valueValues : nil, record: record, schemaCount: schemaCount, op: present ? .insert : .delete, into: &batch)
            } catch {
                skipped += 1
                log?.record(ProcessingLogEntry(kind: .deserialization, queryID: queryID, topic: binding.topic, partition: partition,
                                               offset: record.offset, message: error.message))
            }
        }
    }

    /// Internal topics carry whole rows; the record timestamp is the row's event time.
    private mutating func decodeInternal(
        _ records: FetchedRecords, from offset: Offset, reader: inout FetchReader, into batch: inout StreamBatch, log: (any ProcessingLog)?
    ) throws {
        try records.forEachRecord(from: offset, reader: &reader) { record in
            let retracts = record.value?.first == Self.retractionMarker
            guard let value = record.value.map({ retracts ? UnsafeRawBufferPointer(rebasing: $0.dropFirst()) : $0 }),
                ValueCodec.decodeRow(value, into: &batch.columns)
            else {
                skipped += 1
                log?.record(ProcessingLogEntry(kind: .deserialization, queryID: queryID, topic: binding.topic, partition: partition,
                                               offset: record.offset, message: "corrupt internal record"))
                return
            }
            batch.ops.append(retracts ? .updateBefore : .insert)
            batch.timestamps.append(record.timestamp)
            batch.offsets.append(record.offset)
        }
    }

    private mutating func append(values: [Value]?, record: RecordView, schemaCount: Int, op: ChangeOp, into batch: inout StreamBatch) {
        for (i, position) in keyPositions.enumerated() {
            batch.columns[position].append(i < keyValues.count ? keyValues[i] : .null)
        }
        for (i, position) in valuePositions.enumerated() {
            batch.columns[position].append(values.map { i < $0.count ? $0[i] : .null } ?? .null)
        }
        for position in binding.schema.indices(role: .header) { batch.columns[position].append(.null) }
        var time = record.timestamp
        if let timestampColumn {
            switch batch.columns[timestampColumn].last {
            case .bigint(let t)?, .timestamp(let t)?: time = t
            default: break
            }
        }
        batch.columns[schemaCount].append(.bigint(time))
        batch.columns[schemaCount + 1].append(.int(partition))
        batch.columns[schemaCount + 2].append(.bigint(record.offset))
        if binding.windowType != nil {
            batch.columns[schemaCount + 3].append(window.start)
            batch.columns[schemaCount + 4].append(window.end)
        }
        batch.ops.append(op)
        batch.timestamps.append(time)
        batch.offsets.append(record.offset)
    }
}
