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
        for iteration in 0..<60_000 {
            let input = nextInput(iteration, &random)
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

    /// Strings are scanned eight bytes at a time: a quote, backslash, control character or multi-byte character at
    /// every position of strings up to 40 bytes long (so on both sides of every word boundary) decodes or is
    /// rejected exactly as the text says, read and unread.
    @Test func everyPositionOfAStringIsSeen() throws {
        var read = try JSONRecordDecoder(columns: [("S", .string), ("N", .bigint)], maxDepth: 8)
        var skipping = try JSONRecordDecoder(columns: [("S", .string), ("N", .bigint)], maxDepth: 8, unread: [0])
        var values: [Value] = []
        for length in 1...40 {
            for position in 0..<length {
                // (text inside the quotes, the decoded string, or nil when the record must be rejected)
                let cases: [(String, String?)] = [
                    (#"\n"#, "\n"), (#"\""#, "\""), (#"\\"#, "\\"), ("é", "é"), ("\u{1}", nil), ("\u{1F}", nil),
                    (#"""#, nil), (#"\"#, nil),
                ]
                for (special, decoded) in cases {
                    let head = String(repeating: "a", count: position)
                    let tail = String(repeating: "z", count: length - position - 1)
                    let input = Array(#"{"s":""#.utf8) + Array((head + special + tail).utf8) + Array(#"","n":7}"#.utf8)
                    for skip in [false, true] {
                        var accepted = false
                        do {
                            accepted = try skip ? skipping.decode(input, into: &values) : read.decode(input, into: &values)
                        } catch {}
                        let label = "length \(length) position \(position) \(special.debugDescription) skip \(skip)"
                        #expect(accepted == (decoded != nil), "\(label)")
                        guard accepted, let decoded else { continue }
                        #expect(values[1] == .bigint(7), "\(label)")
                        #expect(values[0] == (skip ? .null : .string(head + decoded + tail)), "\(label)")
                    }
                }
            }
        }
    }

    /// Skipping an unread STRING column must not change which records are rejected, nor any other column.
    @Test func unreadStringColumnsRejectTheSameRecords() throws {
        var random = SeededRandom(seed: 20_261_205)
        var full = try JSONRecordDecoder(columns: Self.columns, maxDepth: 32)
        let name = try #require(Self.columns.firstIndex { $0.name == "NAME" })
        var skipping = try JSONRecordDecoder(columns: Self.columns, maxDepth: 32, unread: [name])
        var expected: [Value] = []
        var actual: [Value] = []
        var agreedOnRejection = 0
        var skippedStrings = 0
        for iteration in 0..<30_000 {
            let input = nextInput(iteration, &random)
            let a = Result { () throws(RelationalError) in try full.decode(input, into: &expected) }
            let b = Result { () throws(RelationalError) in try skipping.decode(input, into: &actual) }
            switch (a, b) {
            case (.success(let x), .success(let y)):
                #expect(x == y)
                guard x else { continue }
                if case .string = expected[name] { skippedStrings += 1 }
                expected[name] = .null
                #expect(actual == expected, "\(String(decoding: input, as: UTF8.self))")
            case (.failure, .failure):
                agreedOnRejection += 1
            default:
                Issue.record("decoders disagree on \(String(decoding: input, as: UTF8.self)): \(a) vs \(b)")
            }
        }
        #expect(agreedOnRejection > 1_000)
        #expect(skippedStrings > 200)
    }

    /// Every fourth input a random document, the others a mutated seed.
    func nextInput(_ iteration: Int, _ random: inout SeededRandom) -> [UInt8] {
        iteration % 4 == 3 ? randomDocument(&random) : mutate(Array(Self.seeds[random.below(Self.seeds.count)].utf8), &random)
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
