import SluiceCore

/// Iterates the records of record batches, decompressing where needed into a scratch buffer that is reused
/// from batch to batch (no allocation per record; one growth of the buffer at most per batch size seen).
public struct RecordBatchReader {
    private var scratch: [UInt8] = []
    /// Upper bound on a batch's decompressed size, so that a hostile batch cannot exhaust memory.
    public var maxDecompressedSize: Int

    public init(maxDecompressedSize: Int = 256 << 20) {
        self.maxDecompressedSize = maxDecompressedSize
    }

    /// Calls `body` for every record of the batch at the start of `batch` (already validated), in offset order.
    public mutating func forEachRecord(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader,
        _ body: (borrowing Record) throws -> Void
    ) throws {
        let payload = UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.size..<header.sizeInBytes])
        switch header.compression {
        case .none?:
            try Self.decodeRecords(payload, header: header, body)
        case .lz4?:
            scratch.removeAll(keepingCapacity: true)
            try LZ4Frame.decompress(payload, appendingTo: &scratch, limit: maxDecompressedSize)
            try scratch.withUnsafeBytes { (records) throws in try Self.decodeRecords(records, header: header, body) }
        case let codec?:
            throw LogError(.unsupportedCompressionType, "batch at offset \(header.baseOffset) is \(codec)-compressed; Sluice decodes none and lz4, and stores other codecs as they are")
        case nil:
            throw LogError(.corruptMessage, "batch at offset \(header.baseOffset) has an unknown compression codec")
        }
    }

    /// Decodes `header.recordsCount` uncompressed records. Every length is bounds-checked: bad input is an error.
    static func decodeRecords(
        _ bytes: UnsafeRawBufferPointer, header: RecordBatchHeader, _ body: (borrowing Record) throws -> Void
    ) throws {
        var index = 0
        for _ in 0..<Int(header.recordsCount) {
            guard let length = Varint.read(bytes, at: &index), length >= 0, index + Int(length) <= bytes.count else {
                throw corrupt(header, "record length")
            }
            let end = index + Int(length)
            let body0 = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
            let record = try decodeRecord(body0, header: header)
            try body(record)
            index = end
        }
    }

    private static func decodeRecord(_ bytes: UnsafeRawBufferPointer, header: RecordBatchHeader) throws -> Record {
        var i = 1  // attributes byte, unused
        guard bytes.count >= 1,
            let timestampDelta = Varint.read(bytes, at: &i),
            let offsetDelta = Varint.read(bytes, at: &i),
            let keyLength = Varint.read(bytes, at: &i)
        else { throw corrupt(header, "record header") }
        let key = try slice(bytes, at: &i, length: keyLength, header: header)
        guard let valueLength = Varint.read(bytes, at: &i) else { throw corrupt(header, "value length") }
        let value = try slice(bytes, at: &i, length: valueLength, header: header)
        guard let headerCount = Varint.read(bytes, at: &i), headerCount >= 0, headerCount <= bytes.count else {
            throw corrupt(header, "header count")
        }
        let timestamp = header.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
        return Record(
            offset: header.baseOffset &+ offsetDelta, timestamp: timestamp, key: key, value: value,
            headerCount: Int(headerCount), headerBytes: UnsafeRawBufferPointer(rebasing: bytes[i...]))
    }

    private static func slice(
        _ bytes: UnsafeRawBufferPointer, at index: inout Int, length: Int64, header: RecordBatchHeader
    ) throws -> UnsafeRawBufferPointer? {
        if length < 0 { return nil }
        guard length <= bytes.count - index else { throw corrupt(header, "key or value length") }
        defer { index += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[index..<index + Int(length)])
    }

    private static func corrupt(_ header: RecordBatchHeader, _ what: String) -> LogError {
        LogError(.corruptMessage, "batch at offset \(header.baseOffset): malformed \(what)")
    }
}
