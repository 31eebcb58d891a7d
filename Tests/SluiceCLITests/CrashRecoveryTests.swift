import Glibc
import LogStorage
import SluiceCore
import SluiceTestSupport
import Testing

/// SIGKILLs `sluice debug append-loop` (fsync per batch, one ACK line per durable append) at random moments, many
/// times over the same data directory, and checks after each kill: every acknowledged batch is present with its
/// contents, every stored batch passes its CRC, offsets are dense from 0 and monotonic.
@Suite struct CrashRecoveryTests {
    @Test func everyAcknowledgedBatchSurvivesSIGKILL() throws {
        let dir = TemporaryDirectory("sluice-crash")
        defer { dir.remove() }
        var random = SeededRandom(seed: 2026)
        var acknowledged: [(first: Offset, last: Offset, tag: String)] = []
        for round in 0..<25 {
            let child = ChildProcess([sluiceBinary(), "debug", "append-loop", "--data-dir", dir.path, "--seed", String(round + 1)])
            let wanted = Int.random(in: 0...60, using: &random)
            var seen = 0
            while seen < wanted, let line = child.readLine() {
                if let ack = Self.parseAck(line) { acknowledged.append(ack); seen += 1 }
            }
            usleep(UInt32.random(in: 0...3_000, using: &random))
            child.kill(SIGKILL)
            #expect(child.wait() == 128 + SIGKILL)
            while let line = child.readLine() {  // ACKs printed before the kill landed
                if let ack = Self.parseAck(line) { acknowledged.append(ack) }
            }
            try verify(dir.path, acknowledged)
        }
        #expect(acknowledged.count > 25)
    }

    static func parseAck(_ line: String) -> (Offset, Offset, String)? {
        let parts = line.split(separator: " ")
        guard parts.count == 4, parts[0] == "ACK", let first = Offset(parts[1]), let last = Offset(parts[2]) else { return nil }
        return (first, last, String(parts[3]))
    }

    /// Opens the directory as the next process would (recovering), checks it, and releases it without a clean
    /// shutdown so that the next child recovers too.
    func verify(_ path: String, _ acknowledged: [(first: Offset, last: Offset, tag: String)]) throws {
        let logs = try LogManager(dataDirectory: path + "/log")
        defer { logs.abandonForTesting() }
        let log = try logs.partition(TopicPartition("crash", 0))
        var values: [Offset: String] = [:]
        var next: Offset = 0
        var reader = RecordBatchReader()
        while true {
            let read = try log.read(from: next, maxBytes: 1 << 20)
            if read.records.isEmpty { break }
            try read.records.withUnsafeBytes { raw in
                for header in try RecordBatch.validateAll(raw) {  // every served batch passes its CRC
                    _ = header
                }
                var position = 0
                while position < raw.count {
                    let batch = UnsafeRawBufferPointer(rebasing: raw[position...])
                    let header = RecordBatchHeader(parsing: batch)
                    #expect(header.baseOffset == next, "offsets must be dense and monotonic")
                    try reader.forEachRecord(in: batch, header: header) { record in
                        values[record.offset] = String(decoding: record.value!.prefix(40), as: UTF8.self)
                    }
                    next = header.nextOffset
                    position += header.sizeInBytes
                }
            }
        }
        #expect(next == log.logEndOffset)
        for ack in acknowledged {
            for offset in ack.first...ack.last {
                #expect(values[offset]?.hasPrefix("\(ack.tag)-r\(offset - ack.first)-") == true, "acknowledged offset \(offset) of \(ack.tag) lost")
            }
        }
    }
}
