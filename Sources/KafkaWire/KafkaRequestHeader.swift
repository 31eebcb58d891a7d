import NIOCore

/// A request header, v1 (non-flexible) or v2 (flexible: v1 plus tagged fields; `client_id` stays a
/// non-compact nullable string, RequestHeader.json). `apiKey` is raw because a client may send a key we do not
/// know; `knownAPIKey` maps it.
public struct KafkaRequestHeader: Hashable, Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationID: Int32
    public var clientID: String?

    public init(apiKey: Int16, apiVersion: Int16, correlationID: Int32, clientID: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationID = correlationID
        self.clientID = clientID
    }

    /// The API, if this module knows it.
    public var knownAPIKey: KafkaAPIKey? { KafkaAPIKey(rawValue: apiKey) }

    /// Whether the header (and body) at this version use the flexible format. ApiVersions is flexible from v3
    /// even above the versions we support, so that a newer client's request can still be answered.
    public var isFlexible: Bool {
        guard let key = knownAPIKey else { return false }
        if key == .apiVersions { return apiVersion >= 3 }
        return apiVersion >= key.firstFlexibleVersion
    }

    /// Decodes a header: v2 when the API/version is flexible, v1 otherwise.
    public static func decode(from buffer: inout ByteBuffer) throws(KafkaWireError) -> KafkaRequestHeader {
        var header = KafkaRequestHeader(
            apiKey: try buffer.kafkaReadInt16(), apiVersion: try buffer.kafkaReadInt16(),
            correlationID: try buffer.kafkaReadInt32(), clientID: nil)
        header.clientID = try buffer.kafkaReadNullableString(compact: false)
        if header.isFlexible {
            let count = try buffer.kafkaReadUnsignedVarint()
            for _ in 0..<count {
                _ = try buffer.kafkaReadUnsignedVarint()
                _ = try buffer.kafkaReadTaggedFieldBody()
            }
        }
        return header
    }

    /// Encodes the header (v2 if `isFlexible`, else v1), for clients and tests.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.kafkaWriteInt16(apiKey)
        buffer.kafkaWriteInt16(apiVersion)
        buffer.kafkaWriteInt32(correlationID)
        buffer.kafkaWriteNullableString(clientID, compact: false)
        if isFlexible { buffer.kafkaWriteUnsignedVarint(0) }
    }
}

/// Response headers: v0 is the correlation id; v1 adds tagged fields. ApiVersions responses always use v0
/// (ApiVersionsResponse.json), whatever their body version.
public enum KafkaResponseHeader {
    /// The response header version for a response to `apiKey` at `version`.
    public static func version(apiKey: KafkaAPIKey, apiVersion: Int16) -> Int16 {
        if apiKey == .apiVersions { return 0 }
        return apiVersion >= apiKey.firstFlexibleVersion ? 1 : 0
    }

    public static func encode(correlationID: Int32, headerVersion: Int16, into buffer: inout ByteBuffer) {
        buffer.kafkaWriteInt32(correlationID)
        if headerVersion >= 1 { buffer.kafkaWriteUnsignedVarint(0) }
    }

    /// Reads a response header, returning the correlation id.
    public static func decode(headerVersion: Int16, from buffer: inout ByteBuffer) throws(KafkaWireError) -> Int32 {
        let correlationID = try buffer.kafkaReadInt32()
        if headerVersion >= 1 {
            let count = try buffer.kafkaReadUnsignedVarint()
            for _ in 0..<count {
                _ = try buffer.kafkaReadUnsignedVarint()
                _ = try buffer.kafkaReadTaggedFieldBody()
            }
        }
        return correlationID
    }
}
