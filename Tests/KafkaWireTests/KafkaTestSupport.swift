import KafkaWire
import NIOCore

/// Frames a request the way a client does: size, header (v1 or v2), body.
func requestFrame(_ request: KafkaRequest, version: Int16, correlationID: Int32, clientID: String? = "test")
    -> ByteBuffer
{
    var body = ByteBuffer()
    KafkaRequestHeader(
        apiKey: request.apiKey.rawValue, apiVersion: version, correlationID: correlationID, clientID: clientID
    )
    .encode(into: &body)
    request.encode(into: &body, version: version)
    var frame = ByteBuffer()
    frame.writeInteger(Int32(body.readableBytes))
    frame.writeImmutableBuffer(body)
    return frame
}

/// Splits a response frame into its correlation id and decoded body.
func parseResponse(_ frame: ByteBuffer, apiKey: KafkaAPIKey, version: Int16) throws -> (Int32, KafkaResponse) {
    var frame = frame
    let size = frame.readInteger(as: Int32.self)
    precondition(Int(size ?? -1) == frame.readableBytes, "bad frame size")
    let headerVersion = KafkaResponseHeader.version(apiKey: apiKey, apiVersion: version)
    let correlationID = try KafkaResponseHeader.decode(headerVersion: headerVersion, from: &frame)
    let response = try KafkaResponse.decode(apiKey: apiKey, version: version, from: &frame)
    return (correlationID, response)
}

/// Reads the correlation id of a response frame.
func correlationID(of frame: ByteBuffer) -> Int32? {
    frame.getInteger(at: frame.readerIndex + 4, as: Int32.self)
}
