import SluiceCore
import Testing

@testable import Relational

/// Random and mutated records for the DELIMITED and KAFKA decoders: each decodes or throws, never crashes.
@Suite struct DelimitedFuzzTests {
    @Test func randomRecordsDecodeOrThrow() throws {
        let columns: [(name: String, type: DataType)] = [
            ("A", .int), ("B", .string), ("C", .decimal(precision: 6, scale: 2)), ("D", .double), ("E", .bytes),
            ("F", .boolean), ("G", .date),
        ]
        var decoder = try DelimitedRecordDecoder(columns: columns)
        let alphabet = Array(#"0123456789,"".-+eE \nabcAQ==truefalse"#.utf8) + [0, 0xFF, 0xC3, 0xA9]
        var random = SeededRandom(seed: 5)
        var values: [Value] = []
        var decoded = 0
        let samples = [
            "1", "-7", "", "\"x,y\"", "12.5", "1e3", "AQ==", "true", "19782", "\"\"\"\"", "NaN", "999999999999",
        ]
        for _ in 0..<20_000 {
            var bytes = Array(
                (0..<columns.count).map { _ in samples[random.below(samples.count)] }.joined(separator: ",").utf8)
            for _ in 0..<random.below(3) {
                let noise = (0..<random.below(4)).map { _ in alphabet[random.below(alphabet.count)] }
                bytes.insert(contentsOf: noise, at: random.below(bytes.count + 1))
            }
            do {
                _ = try bytes.withUnsafeBytes { try decoder.decode($0, into: &values) }
                #expect(values.count == columns.count)
                decoded += 1
            } catch {}
        }
        #expect(decoded > 10)  // random fields rarely all fit their columns; both outcomes must occur
        #expect(decoded < 20_000)
    }

    @Test func kafkaDecoderAcceptsOnlyExactSizes() throws {
        var random = SeededRandom(seed: 6)
        var values: [Value] = []
        for type in [DataType.int, .bigint, .double, .string, .bytes] {
            let decoder = try KafkaRecordDecoder(columns: [("K", type)])
            for _ in 0..<2_000 {
                let bytes = (0..<random.below(12)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let ok = (try? bytes.withUnsafeBytes { try decoder.decode($0, into: &values) }) != nil
                switch type {
                case .int: #expect(ok == (bytes.count == 4))
                case .bigint, .double: #expect(ok == (bytes.count == 8))
                default: #expect(ok)
                }
            }
        }
    }
}
