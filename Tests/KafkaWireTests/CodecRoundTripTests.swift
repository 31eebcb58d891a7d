import KafkaWire
import NIOCore
import Testing

/// Every message at every supported version survives encode → decode, with and without nulls, and decode
/// consumes exactly the encoded bytes.
@Suite struct CodecRoundTripTests {
    @Test(arguments: KafkaAPIKey.allCases)
    func roundTripsEveryVersion(key: KafkaAPIKey) throws {
        for version in key.versions {
            for nulls in [false, true] {
                let request = KafkaSampleTable.request(key, version: version, nulls: nulls)
                var buffer = ByteBuffer()
                request.encode(into: &buffer, version: version)
                let decoded = try KafkaRequest.decode(apiKey: key, version: version, from: &buffer)
                #expect(decoded == request, "\(key.name) request v\(version) nulls=\(nulls)")
                #expect(buffer.readableBytes == 0, "\(key.name) request v\(version) left bytes")

                let response = KafkaSampleTable.response(key, version: version, nulls: nulls)
                buffer.clear()
                response.encode(into: &buffer, version: version)
                let decodedResponse = try KafkaResponse.decode(apiKey: key, version: version, from: &buffer)
                #expect(decodedResponse == response, "\(key.name) response v\(version) nulls=\(nulls)")
                #expect(buffer.readableBytes == 0, "\(key.name) response v\(version) left bytes")
            }
        }
    }

    @Test func unsupportedVersionIsAnError() {
        var buffer = ByteBuffer(bytes: [0, 0])
        #expect(throws: KafkaWireError.self) {
            _ = try KafkaRequest.decode(apiKey: .produce, version: 2, from: &buffer)
        }
    }
}
