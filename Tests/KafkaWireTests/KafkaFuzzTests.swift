import KafkaWire
import NIOCore
import SluiceCore
import SluiceTestSupport
import Testing

/// Seeded mutation and random-frame fuzzing of every decoder: bad input throws, never crashes.
@Suite struct KafkaFuzzTests {
    static let samples: [(KafkaAPIKey, Int16, ByteBuffer, Bool)] = {
        var result: [(KafkaAPIKey, Int16, ByteBuffer, Bool)] = []
        for key in KafkaAPIKey.allCases {
            for version in key.versions {
                var request = ByteBuffer()
                KafkaSampleTable.request(key, version: version, nulls: false).encode(into: &request, version: version)
                result.append((key, version, request, true))
                var response = ByteBuffer()
                KafkaSampleTable.response(key, version: version, nulls: false).encode(into: &response, version: version)
                result.append((key, version, response, false))
            }
        }
        return result
    }()

    @Test func mutatedValidMessages() {
        var random = SeededRandom(seed: 0x51_1CE)
        var decoded = 0
        for _ in 0..<20_000 {
            let (key, version, original, isRequest) = Self.samples[random.below(Self.samples.count)]
            var bytes = Array(original.readableBytesView)
            for _ in 0...random.below(4) where !bytes.isEmpty {
                switch random.below(3) {
                case 0: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeLast(random.below(bytes.count) + 1)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count))
                }
            }
            var buffer = ByteBuffer(bytes: bytes)
            if isRequest {
                if (try? KafkaRequest.decode(apiKey: key, version: version, from: &buffer)) != nil { decoded += 1 }
            } else {
                if (try? KafkaResponse.decode(apiKey: key, version: version, from: &buffer)) != nil { decoded += 1 }
            }
        }
        #expect(decoded > 0)
    }

    @Test func randomFrames() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(64) { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
            var buffer = ByteBuffer(bytes: bytes)
            if let header = try? KafkaRequestHeader.decode(from: &buffer), let key = header.knownAPIKey {
                let version = key.versions.lowerBound + Int16(random.below(key.versions.count))
                _ = try? KafkaRequest.decode(apiKey: key, version: version, from: &buffer)
            }
            var frameBuffer = ByteBuffer(bytes: bytes)
            _ = try? KafkaFrameDecoder.nextFrame(from: &frameBuffer, maxFrameSize: 1 << 20)
        }
    }
}
