import SluiceCore

/// The text `sluice dump-log` prints for a segment file: one line per batch in kafka-dump-log's field order, CRC
/// validity included, and a line saying where and why the scan stopped if it met a torn or corrupt batch.
public enum SegmentDump {
    public struct Summary: Equatable {
        public var batches = 0
        public var records = 0
        public var validBytes: Int64 = 0
        public var fileBytes: Int64 = 0
    }

    public static func dump(_ file: any FileHandle, printData: Bool, output: (String) -> Void) throws -> Summary {
        var summary = Summary()
        do { summary.fileBytes = try file.size() } catch let error as IOError { throw LogError(error) }
        var scanner = BatchScanner(file: file, from: 0, limit: summary.fileBytes, validate: true)
        var reader = RecordBatchReader()
        let stop = try scanner.forEach { position, h, bytes in
            output("baseOffset: \(h.baseOffset) lastOffset: \(h.lastOffset) count: \(h.recordsCount) baseSequence: \(h.baseSequence) lastSequence: \(h.lastSequence) producerId: \(h.producerId) producerEpoch: \(h.producerEpoch) partitionLeaderEpoch: \(h.partitionLeaderEpoch) isTransactional: \(h.isTransactional) isControl: \(h.isControl) position: \(position) \(h.isLogAppendTime ? "LogAppendTime" : "CreateTime"): \(h.maxTimestamp) size: \(h.sizeInBytes) magic: \(h.magic) compresscodec: \(h.compression.map(String.init(describing:)) ?? "unknown") crc: \(h.crc) isvalid: true")
            summary.batches += 1
            summary.records += Int(h.recordsCount)
            summary.validBytes = position + Int64(h.sizeInBytes)
            if printData {
                do {
                    try reader.forEachRecord(in: bytes, header: h) { r in
                        output("| offset: \(r.offset) \(h.isLogAppendTime ? "LogAppendTime" : "CreateTime"): \(r.timestamp) keySize: \(r.key?.count ?? -1) valueSize: \(r.value?.count ?? -1) key: \(text(r.key)) payload: \(text(r.value))")
                    }
                } catch let error as LogError where error.code == .unsupportedCompressionType {
                    output("| records not shown: \(error.message)")
                }
            }
            return true
        }
        switch stop {
        case .end: break
        case .truncated(let position): output("Torn batch at position \(position): the file ends inside it")
        case .corrupt(let position, let error): output("Corrupt batch at position \(position): \(error.message) isvalid: false")
        }
        return summary
    }

    static func text(_ bytes: UnsafeRawBufferPointer?) -> String {
        guard let bytes else { return "null" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
