import NIOCore

/// A struct of a Kafka message schema (a top-level message or a nested struct): it decodes and encodes itself
/// at a given version. Codecs are pure functions over `ByteBuffer`; decode never crashes on bad input.
public protocol KafkaStruct: KafkaArrayElement {
    /// Creates the value with every field at its schema default.
    init()
    /// Decodes a value at `version`, reading exactly its bytes from `buffer`.
    static func decode(from buffer: inout ByteBuffer, version: Int16) throws(KafkaWireError) -> Self
    /// Encodes the fields present at `version`; fields absent at that version are not written.
    func encode(into buffer: inout ByteBuffer, version: Int16)
}

/// A top-level Kafka request or response body.
public protocol KafkaMessage: KafkaStruct {
    static var apiKey: KafkaAPIKey { get }
    /// The versions this module can decode and encode.
    static var versions: ClosedRange<Int16> { get }
    /// The first version with compact encodings and tagged fields (`Int16.max` if none is supported).
    static var firstFlexibleVersion: Int16 { get }
}

/// An element of a Kafka array: a struct or a primitive.
public protocol KafkaArrayElement: Sendable, Hashable {
    static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(KafkaWireError)
        -> Self
    func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool)
}

extension KafkaStruct {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> Self
    {
        try decode(from: &buffer, version: version)
    }

    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        encode(into: &buffer, version: version)
    }
}
