import SluiceCore
import Testing

@testable import Relational

/// Feeds random and mutated JSON to the decoder: each input must decode or throw, never crash or hang.
@Suite struct JSONFuzzTests {
    static let columns: [(name: String, type: DataType)] = [
        ("ID", .bigint), ("NAME", .string), ("P", .double), ("Q", .int), ("OK", .boolean),
        ("M", .decimal(precision: 10, scale: 3)), ("TAGS", .array(.string)),
        ("ATTR", .map(key: .string, value: .int)), ("S", .struct([.init("A", .int), .init("B", .array(.double))])),
        ("BY", .bytes), ("TS", .timestamp),
    ]

    static let seeds: [String] = [
        #"{"id":1,"name":"x","p":1.5,"q":2,"ok":true,"m":"1.25","tags":["a","b"],"attr":{"k":1},"s":{"a":1,"b":[1.0,2e3]},"by":"AQ==","ts":0}"#,
        #"{"ID":-9223372036854775808,"NAME":{"nested":[1,{"x":null}]},"P":"NaN","Q":"12","S":null}"#,
        #"{"name":"\u00e9\ud83d\ude00\n\"","tags":[null,"\\"],"attr":{},"s":{"B":[]}}"#,
        #"[1,2,{"a":[true,false,null]}]"#, #""just a string""#, "null", "12345678901234567890", "-0.0e-0",
    ]

    static let fragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "null", "true", "false", "-", "0", "1e",
        ".5", "1.5e+308", "9999999999999999999999", "\"id\"", "\"NAME\"", "\u{0}", "\n", " ", "😀", "\u{FF}",
    ]

    @Test func fiftyThousandInputsDecodeOrThrow() throws {
        var random = SeededRandom(seed: 20_261_122)
        var decoder = try JSONRecordDecoder(columns: Self.columns, maxDepth: 32)
        var values: [Value] = []
        var decoded = 0
        var rejected = 0
        let seedBytes = Self.seeds.map { Array($0.utf8) }
        for iteration in 0..<60_000 {
            let input =
                iteration % 4 == 3 ? randomDocument(&random) : mutate(seedBytes[random.below(seedBytes.count)], &random)
            do {
                if try decoder.decode(input, into: &values) { #expect(values.count == Self.columns.count) }
                decoded += 1
            } catch {
                #expect(!error.message.isEmpty)
                rejected += 1
            }
        }
        #expect(decoded + rejected == 60_000)
        // Both outcomes must be well represented, or the fuzzer is not exploring.
        #expect(decoded > 3_000)
        #expect(rejected > 3_000)
    }

    func mutate(_ seed: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = seed
        for _ in 0...random.below(4) {
            guard !bytes.isEmpty else { break }
            let position = random.below(bytes.count)
            switch random.below(6) {
            case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: position)
            case 2: bytes.insert(contentsOf: Self.fragments[random.below(Self.fragments.count)].utf8, at: position)
            case 3: bytes = Array(bytes.prefix(position))
            case 4: bytes.insert(contentsOf: bytes[position...].prefix(random.below(20)), at: position)
            default: bytes.swapAt(position, random.below(bytes.count))
            }
        }
        return bytes
    }

    func randomDocument(_ random: inout SeededRandom) -> [UInt8] {
        var out: [UInt8] = []
        randomValue(&random, depth: 0, into: &out)
        return out
    }

    func randomValue(_ random: inout SeededRandom, depth: Int, into out: inout [UInt8]) {
        switch depth > 40 ? random.below(4) : random.below(7) {
        case 0: out += Array("null".utf8)
        case 1: out += Array(String(Int64(bitPattern: random.next()) >> random.below(64)).utf8)
        case 2: JSONWriter.appendDouble(random.double(), to: &out)
        case 3: JSONWriter.appendString(random.string(), to: &out)
        case 4:
            out.append(UInt8(ascii: "["))
            for index in 0..<random.below(4) {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                randomValue(&random, depth: depth + 1, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            let keys = ["id", "NAME", "p", "Q", "ok", "m", "tags", "attr", "s", "a", "B", "by", "ts", "zz"]
            out.append(UInt8(ascii: "{"))
            for index in 0..<random.below(5) {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(keys[random.below(keys.count)], to: &out)
                out.append(UInt8(ascii: ":"))
                randomValue(&random, depth: depth + 1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
