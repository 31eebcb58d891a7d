import Glibc
import SluiceCore
@_exported import SluiceTestSupport

@testable import LogStorage

/// Encodes one batch of `count` records with keys "k<i>" and values "v<i>" (or the given values).
func makeBatch(
    count: Int, firstTimestamp: Timestamp = 1_000, keyPrefix: String = "k", valuePrefix: String = "v", start: Int = 0,
    options: RecordBatchBuilder.Options = .init()
) throws -> [UInt8] {
    var builder = RecordBatchBuilder(options: options)
    for i in start..<start + count {
        builder.append(timestamp: firstTimestamp + Int64(i - start), key: Array("\(keyPrefix)\(i)".utf8), value: Array("\(valuePrefix)\(i)".utf8))
    }
    return try builder.build()
}

/// Every record in `bytes` as (offset, key, value, timestamp).
func decodeAll(_ bytes: [UInt8]) throws -> [(offset: Offset, key: String?, value: String?, timestamp: Timestamp)] {
    var result: [(Offset, String?, String?, Timestamp)] = []
    var reader = RecordBatchReader()
    try bytes.withUnsafeBytes { raw in
        for header in try RecordBatch.validateAll(raw) {
            _ = header
        }
        var position = 0
        while position < raw.count {
            let batch = UnsafeRawBufferPointer(rebasing: raw[position...])
            let header = try RecordBatch.validate(batch)
            try reader.forEachRecord(in: batch, header: header) { record in
                result.append((record.offset, record.key.map { String(decoding: $0, as: UTF8.self) },
                               record.value.map { String(decoding: $0, as: UTF8.self) }, record.timestamp))
            }
            position += header.sizeInBytes
        }
    }
    return result
}

/// Reads every record from `from` to the high watermark.
func readAll(_ log: PartitionLog, from: Offset? = nil) throws -> [(offset: Offset, key: String?, value: String?, timestamp: Timestamp)] {
    var offset = from ?? log.logStartOffset
    var all: [(offset: Offset, key: String?, value: String?, timestamp: Timestamp)] = []
    while true {
        let result = try log.read(from: offset, maxBytes: 64 << 10, limit: .logEnd)
        if result.records.isEmpty { break }
        let records = try decodeAll(result.records).filter { $0.offset >= offset }
        all += records
        guard let last = records.last else { break }
        offset = last.offset + 1
    }
    return all
}
