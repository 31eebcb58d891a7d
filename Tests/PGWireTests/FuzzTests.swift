import NIOCore
import PGWire
import SluiceCore
import Testing

/// Seeded fuzzing: mutated and random frames through the frontend decoder (fed in random chunks), every
/// decoded message through a live state machine, and mutated backend frames through the client-side
/// decoder. Failing inputs replay from the seed. Nothing may trap; every failure must be a `PGError`.
@Suite struct FuzzTests {
    static let iterations = 50_000

    static var corpus: [[UInt8]] {
        MessageCodecTests.frontendGolden.map { $0.1 } + [
            Array(FrontendMessage.query("SELECT * FROM t").bytes.readableBytesView),
            Array(
                FrontendMessage.parse(Parse(name: "", sql: "SELECT $1", parameterTypes: [0])).bytes.readableBytesView),
            Array(
                FrontendMessage.bind(Bind(portal: "", statement: "", parameters: [ByteBuffer(string: "1")])).bytes
                    .readableBytesView),
        ]
    }

    static func mutate(_ frame: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = frame
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 1 where bytes.count > 1: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            case 2:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
            case 3 where bytes.count >= 5:
                // Rewrite the length field with a nearby or extreme value.
                let lengths: [Int32] = [0, 3, 4, -1, .max, .min, Int32(bytes.count - 1), Int32(bytes.count + 7)]
                let length = lengths[Int.random(in: 0..<lengths.count, using: &random)]
                withUnsafeBytes(of: length.bigEndian) { for i in 0..<4 { bytes[1 + i] = $0[i] } }
            case 4 where bytes.count >= 7:
                // Extreme Int16 counts where arrays start in Parse/Bind/RowDescription-like bodies.
                let at = Int.random(in: 5..<bytes.count - 1, using: &random)
                bytes[at] = 0xFF
                bytes[at + 1] = UInt8.random(in: 0...255, using: &random)
            default:
                bytes += (0..<Int.random(in: 0...8, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            }
        }
        return bytes
    }

    /// Feeds `bytes` in random chunks; returns what decoded before the first error.
    static func decode(_ bytes: [UInt8], startup: Bool, _ random: inout SeededRandom) -> [FrontendMessage] {
        var decoder = FrontendMessageDecoder(maximumMessageSize: 1 << 16, expectingStartupPacket: startup)
        var pending = ByteBuffer()
        var messages: [FrontendMessage] = []
        var offset = 0
        do {
            while offset < bytes.count {
                let chunk = min(Int.random(in: 1...16, using: &random), bytes.count - offset)
                pending.writeBytes(bytes[offset..<offset + chunk])
                offset += chunk
                while let message = try decoder.next(from: &pending) { messages.append(message) }
            }
        } catch {
            #expect(!error.code.isEmpty)
        }
        return messages
    }

    @Test func frontendDecoderAndStateMachineNeverTrap() async {
        var random = SeededRandom(seed: 0x5EED_F00D)
        let corpus = Self.corpus
        var driver = MachineDriver()
        _ = await driver.startup()
        var decodedCount = 0
        for iteration in 0..<Self.iterations {
            let startup = iteration % 10 == 0
            var bytes: [UInt8]
            if iteration % 7 == 0 {
                bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            } else {
                bytes = Self.mutate(corpus[Int.random(in: 0..<corpus.count, using: &random)], &random)
            }
            if startup { bytes = Self.mutate(MessageCodecTests.startupGolden[iteration / 10 % 4].1, &random) }
            let messages = Self.decode(bytes, startup: startup, &random)
            decodedCount += messages.count
            for message in messages where !startup {
                if case .terminate = message { continue }
                _ = await driver.send(message)
                if driver.closed {
                    driver = MachineDriver()
                    _ = await driver.startup()
                }
            }
        }
        print("fuzz: \(Self.iterations) inputs, \(decodedCount) messages decoded and fed to the state machine")
        #expect(decodedCount > 1000)
    }

    @Test func backendDecoderNeverTraps() {
        var random = SeededRandom(seed: 0xBAC_CE4D)
        let corpus = MessageCodecTests.backendGolden.map(\.1)
        for _ in 0..<Self.iterations {
            var buffer = ByteBuffer(
                bytes: Self.mutate(corpus[Int.random(in: 0..<corpus.count, using: &random)], &random))
            _ = try? BackendFrames.decode(&buffer)
        }
    }
}
