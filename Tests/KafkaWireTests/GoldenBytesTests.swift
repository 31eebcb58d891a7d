import KafkaWire
import NIOCore
import Testing

/// Byte layouts written out by hand from Kafka's protocol guide and the JSON schemas.
@Suite struct GoldenBytesTests {
    @Test func apiVersionsV3RequestWithHeaderV2() throws {
        // Header v2: api_key 18, api_version 3, correlation_id 1, client_id "ab" (int16 length), no tags.
        // Body (flexible): compact strings "kcat" (len+1 = 5) and "1.0" (4), no tags.
        let bytes: [UInt8] = [
            0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x61, 0x62, 0x00,
            0x05, 0x6B, 0x63, 0x61, 0x74, 0x04, 0x31, 0x2E, 0x30, 0x00,
        ]
        var buffer = ByteBuffer(bytes: bytes)
        let header = try KafkaRequestHeader.decode(from: &buffer)
        #expect(header == KafkaRequestHeader(apiKey: 18, apiVersion: 3, correlationID: 1, clientID: "ab"))
        let request = try ApiVersionsRequest.decode(from: &buffer, version: 3)
        #expect(request == ApiVersionsRequest(clientSoftwareName: "kcat", clientSoftwareVersion: "1.0"))
        #expect(buffer.readableBytes == 0)

        var out = ByteBuffer()
        header.encode(into: &out)
        request.encode(into: &out, version: 3)
        #expect(Array(out.readableBytesView) == bytes)
    }

    @Test func apiVersionsV3ResponseWithTaggedField() throws {
        // error_code 0; compact array of 1 (0x02): {18, 0, 3, no tags}; throttle 0;
        // tags: 1 field, tag 1 (FinalizedFeaturesEpoch) size 8 value 5.
        let bytes: [UInt8] = [
            0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x01, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
        ]
        let response = ApiVersionsResponse(
            apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 3)], finalizedFeaturesEpoch: 5)
        var out = ByteBuffer()
        response.encode(into: &out, version: 3)
        #expect(Array(out.readableBytesView) == bytes)
        var buffer = ByteBuffer(bytes: bytes)
        #expect(try ApiVersionsResponse.decode(from: &buffer, version: 3) == response)
    }

    @Test func apiVersionsV0Response() throws {
        // error_code 35; int32 array count 1; {18, 0, 3}. v0 has no throttle time and no tags.
        let bytes: [UInt8] = [0x00, 0x23, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x03]
        let response = ApiVersionsResponse(errorCode: 35, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 3)])
        var out = ByteBuffer()
        response.encode(into: &out, version: 0)
        #expect(Array(out.readableBytesView) == bytes)
    }

    @Test func metadataV1Request() throws {
        // topics: int32 count 1, then string "t" (int16 length 1). Null topics (all) is count -1.
        var out = ByteBuffer()
        MetadataRequest(topics: [.init(name: "t")]).encode(into: &out, version: 1)
        #expect(Array(out.readableBytesView) == [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74])
        out.clear()
        MetadataRequest(topics: nil).encode(into: &out, version: 1)
        #expect(Array(out.readableBytesView) == [0xFF, 0xFF, 0xFF, 0xFF])
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try MetadataRequest.decode(from: &buffer, version: 1).topics == nil)
    }

    @Test func unknownTagsAreSkipped() throws {
        // ApiVersions v3 response with an unknown tag 7 (3 bytes) before the known tag 1.
        let bytes: [UInt8] = [
            0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
            0x02, 0x07, 0x03, 0xAA, 0xBB, 0xCC, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
        ]
        var buffer = ByteBuffer(bytes: bytes)
        let response = try ApiVersionsResponse.decode(from: &buffer, version: 3)
        #expect(response.finalizedFeaturesEpoch == 9)
        #expect(response.apiKeys.isEmpty)
        #expect(buffer.readableBytes == 0)
    }

    @Test func defaultTaggedFieldsAreNotWritten() {
        var out = ByteBuffer()
        ApiVersionsResponse().encode(into: &out, version: 3)
        #expect(Array(out.readableBytesView) == [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00])
    }

    @Test func truncatedInputThrows() {
        let full: [UInt8] = [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74]
        for length in 0..<full.count {
            var buffer = ByteBuffer(bytes: full[0..<length])
            #expect(throws: KafkaWireError.self) { _ = try MetadataRequest.decode(from: &buffer, version: 1) }
        }
    }

    @Test func hugeArrayCountIsRefusedWithoutAllocating() {
        var buffer = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x00])
        #expect(throws: KafkaWireError.self) { _ = try MetadataRequest.decode(from: &buffer, version: 1) }
    }
}
