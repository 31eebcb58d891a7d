import SluiceCore

/// Validation and in-place stamping of RecordBatch v2 bytes. A batch travels as its bytes from the producer to
/// disk to the consumer; the log only reads the header, checks the CRC, and rewrites the two fields that the
/// CRC does not cover (base offset and partition leader epoch).
public enum RecordBatch {
    /// Checks one batch at the start of `bytes`: length fields, magic, CRC-32C, offset and count consistency.
    /// Returns its header. `bytes` may hold more than one batch.
    public static func validate(
        _ bytes: UnsafeRawBufferPointer, maxBatchSize: Int = Int(Int32.max)
    ) throws -> RecordBatchHeader {
        guard bytes.count >= RecordBatchHeader.size else {
            throw LogError(.corruptMessage, "record batch is truncated: \(bytes.count) bytes, the header alone is 61")
        }
        let header = RecordBatchHeader(parsing: bytes)
        guard header.magic == RecordBatchHeader.currentMagic else {
            throw LogError(.corruptMessage, "record batch has magic \(header.magic); only magic 2 (RecordBatch v2) is supported")
        }
        guard header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead) else {
            throw LogError(.corruptMessage, "record batch length \(header.batchLength) is shorter than its header")
        }
        guard header.sizeInBytes <= maxBatchSize else {
            throw LogError(.messageTooLarge, "record batch of \(header.sizeInBytes) bytes is larger than max.message.bytes (\(maxBatchSize))")
        }
        guard header.sizeInBytes <= bytes.count else {
            throw LogError(.corruptMessage, "record batch claims \(header.sizeInBytes) bytes but only \(bytes.count) are present")
        }
        let covered = UnsafeRawBufferPointer(rebasing: bytes[RecordBatchHeader.attributesOffset..<header.sizeInBytes])
        let crc = CRC32C.checksum(covered)
        guard crc == header.crc else {
            throw LogError(.corruptMessage, "record batch CRC mismatch: stored \(hex(header.crc)), computed \(hex(crc))")
        }
        guard header.lastOffsetDelta >= 0, header.recordsCount >= 0, header.recordsCount <= header.lastOffsetDelta + 1 else {
            throw LogError(.corruptMessage, "record batch has \(header.recordsCount) records but lastOffsetDelta \(header.lastOffsetDelta)")
        }
        guard header.compression != nil else {
            throw LogError(.corruptMessage, "record batch uses unknown compression codec \(header.attributes & 7)")
        }
        return header
    }

    /// Checks that `bytes` is a sequence of whole, valid batches and returns their headers in order.
    public static func validateAll(
        _ bytes: UnsafeRawBufferPointer, maxBatchSize: Int = Int(Int32.max)
    ) throws -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        var position = 0
        while position < bytes.count {
            let header = try validate(UnsafeRawBufferPointer(rebasing: bytes[position...]), maxBatchSize: maxBatchSize)
            headers.append(header)
            position += header.sizeInBytes
        }
        return headers
    }

    /// Writes the fields outside the CRC: the base offset the log assigns and the leader's epoch.
    public static func assign(
        baseOffset: Offset, partitionLeaderEpoch: LeaderEpoch, in bytes: UnsafeMutableRawBufferPointer
    ) {
        bytes.storeBigEndian(baseOffset, at: RecordBatchHeader.baseOffsetOffset)
        bytes.storeBigEndian(partitionLeaderEpoch, at: RecordBatchHeader.partitionLeaderEpochOffset)
    }

    /// Stamps log-append time: sets the timestamp-type bit, maxTimestamp (and baseTimestamp) to `time`, and
    /// recomputes the CRC, as Kafka does for topics with message.timestamp.type=LogAppendTime.
    public static func stampLogAppendTime(_ time: Timestamp, in bytes: UnsafeMutableRawBufferPointer, size: Int) {
        let attributes = bytes.loadBigEndian(at: RecordBatchHeader.attributesOffset, as: Int16.self)
        bytes.storeBigEndian(attributes | RecordBatchHeader.logAppendTimeFlag, at: RecordBatchHeader.attributesOffset)
        bytes.storeBigEndian(time, at: RecordBatchHeader.maxTimestampOffset)
        updateCRC(in: bytes, size: size)
    }

    /// Recomputes and stores the CRC of the batch occupying `bytes[0..<size]`.
    public static func updateCRC(in bytes: UnsafeMutableRawBufferPointer, size: Int) {
        let covered = UnsafeRawBufferPointer(rebasing: bytes[RecordBatchHeader.attributesOffset..<size])
        bytes.storeBigEndian(CRC32C.checksum(covered), at: RecordBatchHeader.crcOffset)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
