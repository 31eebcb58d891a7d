/// An error from the Kafka wire layer: malformed or truncated input, an unsupported API or version, or an
/// oversize frame. `code` is stable (tests and logs match on it); `message` says what was wrong.
///
/// The wire layer maps these to Kafka behaviour at the edge: an unsupported version becomes an
/// UNSUPPORTED_VERSION response where the protocol allows it; everything else closes the connection.
public struct KafkaWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable error kinds.
    public enum Code: String, Sendable, Hashable {
        /// The input ended before a complete value was read.
        case truncated
        /// A length, count or value is impossible (negative length, count larger than the bytes left, bad UTF-8).
        case malformed
        /// The frame is larger than `KafkaWireConfiguration.maxRequestSize`.
        case frameTooLarge
        /// The API key is not one this module has codecs for.
        case unsupportedAPI
        /// The API version is outside the supported range.
        case unsupportedVersion
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
