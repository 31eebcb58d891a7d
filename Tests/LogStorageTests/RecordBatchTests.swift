import SluiceCore
import Testing

@testable import LogStorage

@Suite struct RecordBatchTests {
    /// A batch of one record (key "k", value "v", timestamp 0) built by hand from the RecordBatch v2 field table,
    /// so that the builder is checked against the spec rather than against itself.
    @Test func builderMatchesHandEncodedGoldenBytes() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 1_700_000_000_000, key: Array("k".utf8), value: Array("v".utf8))
        let batch = try builder.build()
        var expected: [UInt8] = []
        func be<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { expected.append(contentsOf: $0) } }
        let record: [UInt8] = [0x00, 0x00, 0x00, 0x02, UInt8(ascii: "k"), 0x02, UInt8(ascii: "v"), 0x00]
        be(Int64(0)); be(Int32(49 + 1 + record.count)); be(Int32(-1)); be(Int8(2)); be(UInt32(0))
        be(Int16(0)); be(Int32(0)); be(Int64(1_700_000_000_000)); be(Int64(1_700_000_000_000))
        be(Int64(-1)); be(Int16(-1)); be(Int32(-1)); be(Int32(1))
        expected.append(UInt8(record.count * 2))  // varint length 8 → zig-zag 16
        expected += record
        let crc = expected.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        withUnsafeBytes(of: crc.bigEndian) { expected.replaceSubrange(17..<21, with: $0) }
        #expect(batch == expected)
    }

    @Test func roundTripsKeysValuesNullsHeadersAndTimestamps() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 100, key: nil, value: Array("no key".utf8))
        builder.append(timestamp: 50, key: Array("tomb".utf8), value: nil, headers: [RecordHeader(key: "h", value: [1, 2]), RecordHeader(key: "n", value: nil)])
        builder.append(timestamp: 300, key: [], value: [])
        let batch = try builder.build()
        let header = try batch.withUnsafeBytes { try RecordBatch.validate($0) }
        #expect(header.recordsCount == 3)
        #expect(header.lastOffsetDelta == 2)
        #expect(header.baseTimestamp == 100)
        #expect(header.maxTimestamp == 300)
        var reader = RecordBatchReader()
        var seen: [(Offset, Timestamp, String?, String?, [RecordHeader])] = []
        try batch.withUnsafeBytes { raw in
            try reader.forEachRecord(in: raw, header: header) { r in
                seen.append((r.offset, r.timestamp, r.key.map { String(decoding: $0, as: UTF8.self) },
                             r.value.map { String(decoding: $0, as: UTF8.self) }, r.headers()))
            }
        }
        #expect(seen.map(\.0) == [0, 1, 2])
        #expect(seen.map(\.1) == [100, 50, 300])
        #expect(seen.map(\.2) == [nil, "tomb", ""])
        #expect(seen.map(\.3) == ["no key", nil, ""])
        #expect(seen[1].4 == [RecordHeader(key: "h", value: [1, 2]), RecordHeader(key: "n", value: nil)])
    }

    @Test func lz4BatchesRoundTripAndAreSmaller() throws {
        var options = RecordBatchBuilder.Options()
        options.compression = .lz4
        let batch = try makeBatch(count: 500, options: options)
        let plain = try makeBatch(count: 500)
        #expect(batch.count < plain.count)
        let header = try batch.withUnsafeBytes { try RecordBatch.validate($0) }
        #expect(header.compression == .lz4)
        let records = try decodeAll(batch)
        #expect(records.count == 500)
        #expect(records[499].value == "v499")
    }

    @Test func rejectsBadCRCMagicAndTruncation() throws {
        let batch = try makeBatch(count: 3)
        var flipped = batch
        flipped[flipped.count - 1] ^= 0x01
        #expect(throws: LogError(.corruptMessage, "record batch CRC mismatch: stored \(RecordBatch.hex(try batch.withUnsafeBytes { try RecordBatch.validate($0) }.crc)), computed \(RecordBatch.hex(CRC32C.checksum(flipped[21...])))")) {
            try flipped.withUnsafeBytes { _ = try RecordBatch.validate($0) }
        }
        var magic = batch
        magic[16] = 1
        #expect(throws: LogError.self) { try magic.withUnsafeBytes { _ = try RecordBatch.validate($0) } }
        #expect(throws: LogError.self) { try Array(batch.dropLast()).withUnsafeBytes { _ = try RecordBatch.validate($0) } }
        #expect(throws: LogError.self) { try Array(batch.prefix(30)).withUnsafeBytes { _ = try RecordBatch.validate($0) } }
        let tooLarge = #expect(throws: LogError.self) { try batch.withUnsafeBytes { _ = try RecordBatch.validate($0, maxBatchSize: 50) } }
        #expect(tooLarge?.code == .messageTooLarge)
    }

    @Test func offsetAndEpochRewriteKeepsTheCRCValid() throws {
        var batch = try makeBatch(count: 2)
        batch.withUnsafeMutableBytes { RecordBatch.assign(baseOffset: 12345, partitionLeaderEpoch: 7, in: $0) }
        let header = try batch.withUnsafeBytes { try RecordBatch.validate($0) }
        #expect(header.baseOffset == 12345)
        #expect(header.partitionLeaderEpoch == 7)
        #expect(try decodeAll(batch).map(\.offset) == [12345, 12346])
    }

    @Test func malformedRecordsAreErrorsNotCrashes() throws {
        var random = SeededRandom(seed: 99)
        let good = try makeBatch(count: 20)
        for _ in 0..<2_000 {
            var bad = good
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bad[Int.random(in: 61..<bad.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            // Fix the CRC so that decoding, not the checksum, meets the garbage.
            let size = bad.count
            bad.withUnsafeMutableBytes { RecordBatch.updateCRC(in: $0, size: size) }
            var reader = RecordBatchReader()
            do {
                try bad.withUnsafeBytes { raw in
                    let header = try RecordBatch.validate(raw)
                    try reader.forEachRecord(in: raw, header: header) { _ in }
                }
            } catch let error as LogError {
                #expect(error.code == .corruptMessage)
            }
        }
    }
}
