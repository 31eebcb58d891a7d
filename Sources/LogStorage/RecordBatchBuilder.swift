import SluiceCore

/// Encodes records into one RecordBatch v2, byte-exact with Kafka's `MemoryRecordsBuilder`. Records are written
/// straight into one growing buffer (no allocation per record); `build()` fills in the header, compresses when
/// asked, computes the CRC and hands the bytes over, ready to append or send.
public struct RecordBatchBuilder {
    /// Producer-side header fields of the batch.
    public struct Options: Sendable {
        public var compression: CompressionCodec = .none
        public var producerId: ProducerID = -1
        public var producerEpoch: ProducerEpoch = -1
        public var baseSequence: Int32 = -1
        public var isTransactional = false
        public var isControl = false
        public var baseOffset: Offset = 0
        public var partitionLeaderEpoch: LeaderEpoch = -1

        public init() {}
    }

    public var options: Options
    private var buffer: [UInt8]
    private var used = RecordBatchHeader.size
    private var baseTimestamp: Timestamp = 0
    private var maxTimestamp: Timestamp = -1
    private var count: Int32 = 0
    private var nextOffsetDelta: Int64 = 0

    public init(options: Options = Options(), initialCapacity: Int = 16 << 10) {
        self.options = options
        buffer = [UInt8](repeating: 0, count: max(initialCapacity, RecordBatchHeader.size + 64))
    }

    public var recordCount: Int { Int(count) }
    public var isEmpty: Bool { count == 0 }
    /// Bytes the batch would take uncompressed.
    public var sizeInBytes: Int { used }

    /// Appends a record with the next offset delta.
    public mutating func append(
        timestamp: Timestamp, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [RecordHeader] = []
    ) {
        append(timestamp: timestamp, offsetDelta: nextOffsetDelta, key: key, value: value, headers: headers)
    }

    /// Appends a record with an explicit offset delta (compaction keeps records' original offsets).
    public mutating func append(
        timestamp: Timestamp, offsetDelta: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [RecordHeader] = []
    ) {
        if count == 0 { baseTimestamp = timestamp }
        maxTimestamp = max(maxTimestamp, timestamp)
        let timestampDelta = timestamp &- baseTimestamp
        let headersLength = headers.reduce(0) { $0 + Self.encodedLength(of: $1) }
        let bodyLength =
            1 + Varint.encodedLength(timestampDelta) + Varint.encodedLength(offsetDelta)
            + Self.encodedLength(of: key) + Self.encodedLength(of: value)
            + Varint.encodedLength(Int64(headers.count)) + headersLength
        reserve(Varint.encodedLength(Int64(bodyLength)) + bodyLength)
        buffer.withUnsafeMutableBytes { out in
            var p = out.baseAddress! + used
            p += Varint.write(Int64(bodyLength), to: p)
            p.storeBytes(of: 0, as: UInt8.self)  // record attributes: unused
            p += 1
            p += Varint.write(timestampDelta, to: p)
            p += Varint.write(offsetDelta, to: p)
            p = Self.write(key, to: p)
            p = Self.write(value, to: p)
            p += Varint.write(Int64(headers.count), to: p)
            for header in headers { p = Self.write(header, to: p) }
            used = p - out.baseAddress!
        }
        count += 1
        nextOffsetDelta = offsetDelta + 1
    }

    /// Convenience for tools and tests.
    public mutating func append(timestamp: Timestamp, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        Self.withOptionalBytes(key) { k in
            Self.withOptionalBytes(value) { v in append(timestamp: timestamp, key: k, value: v, headers: headers) }
        }
    }

    /// Finishes the batch and returns its bytes; the builder is then empty and reusable with the same options.
    /// `lastOffsetDelta` defaults to the last record's delta; compaction passes the original batch's.
    public mutating func build(lastOffsetDelta: Int32? = nil) throws -> [UInt8] {
        var batch: [UInt8]
        if options.compression == .none {
            batch = Array(buffer[0..<used])
        } else if options.compression == .lz4 {
            batch = Array(buffer[0..<RecordBatchHeader.size])
            batch.reserveCapacity(used / 2 + RecordBatchHeader.size)
            try buffer.withUnsafeBytes { (all) throws in
                try LZ4Frame.compress(UnsafeRawBufferPointer(rebasing: all[RecordBatchHeader.size..<used]), appendingTo: &batch)
            }
        } else {
            throw LogError(.unsupportedCompressionType, "Sluice writes batches uncompressed or with lz4, not \(options.compression)")
        }
        writeHeader(into: &batch, lastOffsetDelta: lastOffsetDelta ?? Int32(max(nextOffsetDelta - 1, 0)))
        reset()
        return batch
    }

    /// Drops the records appended so far.
    public mutating func reset() {
        used = RecordBatchHeader.size
        count = 0
        nextOffsetDelta = 0
        maxTimestamp = -1
    }

    // MARK: - Encoding

    private func writeHeader(into batch: inout [UInt8], lastOffsetDelta: Int32) {
        let size = batch.count
        var attributes = Int16(options.compression.rawValue)
        if options.isTransactional { attributes |= RecordBatchHeader.transactionalFlag }
        if options.isControl { attributes |= RecordBatchHeader.controlFlag }
        let base = count == 0 ? -1 : baseTimestamp
        batch.withUnsafeMutableBytes { b in
            b.storeBigEndian(options.baseOffset, at: RecordBatchHeader.baseOffsetOffset)
            b.storeBigEndian(Int32(size - RecordBatchHeader.logOverhead), at: RecordBatchHeader.batchLengthOffset)
            b.storeBigEndian(options.partitionLeaderEpoch, at: RecordBatchHeader.partitionLeaderEpochOffset)
            b.storeBigEndian(RecordBatchHeader.currentMagic, at: RecordBatchHeader.magicOffset)
            b.storeBigEndian(attributes, at: RecordBatchHeader.attributesOffset)
            b.storeBigEndian(lastOffsetDelta, at: RecordBatchHeader.lastOffsetDeltaOffset)
            b.storeBigEndian(base, at: RecordBatchHeader.baseTimestampOffset)
            b.storeBigEndian(count == 0 ? -1 : maxTimestamp, at: RecordBatchHeader.maxTimestampOffset)
            b.storeBigEndian(options.producerId, at: RecordBatchHeader.producerIdOffset)
            b.storeBigEndian(options.producerEpoch, at: RecordBatchHeader.producerEpochOffset)
            b.storeBigEndian(options.baseSequence, at: RecordBatchHeader.baseSequenceOffset)
            b.storeBigEndian(count, at: RecordBatchHeader.recordsCountOffset)
            RecordBatch.updateCRC(in: b, size: size)
        }
    }

    private mutating func reserve(_ bytes: Int) {
        let needed = used + bytes
        if needed > buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: max(needed, buffer.count * 2) - buffer.count))
        }
    }

    private static func encodedLength(of bytes: UnsafeRawBufferPointer?) -> Int {
        guard let bytes else { return 1 }
        return Varint.encodedLength(Int64(bytes.count)) + bytes.count
    }

    private static func encodedLength(of header: RecordHeader) -> Int {
        let keyLength = header.key.utf8.count
        let valueLength = header.value.map { Varint.encodedLength(Int64($0.count)) + $0.count } ?? 1
        return Varint.encodedLength(Int64(keyLength)) + keyLength + valueLength
    }

    private static func write(_ bytes: UnsafeRawBufferPointer?, to pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        guard let bytes else { return pointer + Varint.write(-1, to: pointer) }
        var p = pointer + Varint.write(Int64(bytes.count), to: pointer)
        if let base = bytes.baseAddress, bytes.count > 0 { p.copyMemory(from: base, byteCount: bytes.count) }
        p += bytes.count
        return p
    }

    private static func write(_ header: RecordHeader, to pointer: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var key = header.key
        var p = key.withUTF8 { write(UnsafeRawBufferPointer($0), to: pointer) }
        p = withOptionalBytes(header.value) { write($0, to: p) }
        return p
    }

    static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let bytes else { return try body(nil) }
        return try bytes.withUnsafeBytes { try body($0) }
    }
}
