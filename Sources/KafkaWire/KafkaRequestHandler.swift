import NIOCore

/// What the broker implements: one call per decoded request.
///
/// Return the response of the same API (`.fetch` for `.fetch`), with every field set; the wire layer encodes it
/// at the request's version, so fields absent at that version are dropped. Error fields are raw `Int16`
/// (`KafkaErrorCode.x.rawValue`). Throwing closes the connection (Kafka does the same on an unexpected error).
/// For Produce with acks=0 the response is discarded. Calls for one connection may overlap up to
/// `maxConcurrentRequestsPerConnection`; responses are written in request order regardless.
public protocol KafkaRequestHandler: Sendable {
    func handle(_ request: KafkaRequest, context: KafkaRequestContext) async throws -> KafkaResponse
}

/// Per-request information for a `KafkaRequestHandler`.
public struct KafkaRequestContext: Sendable {
    public var header: KafkaRequestHeader
    public var remoteAddress: SocketAddress?
    /// A process-unique id of the connection (for fetch sessions, group members, logs).
    public var connectionID: UInt64

    public var apiVersion: Int16 { header.apiVersion }
    public var correlationID: Int32 { header.correlationID }
    public var clientID: String? { header.clientID }

    public init(header: KafkaRequestHeader, remoteAddress: SocketAddress?, connectionID: UInt64) {
        self.header = header
        self.remoteAddress = remoteAddress
        self.connectionID = connectionID
    }
}

/// Settings of the Kafka listener's wire layer.
public struct KafkaWireConfiguration: Sendable {
    public static let defaultMaxRequestSize = 100 * 1024 * 1024

    /// Frames above this size close the connection (`socket.request.max.bytes`).
    public var maxRequestSize: Int = KafkaWireConfiguration.defaultMaxRequestSize
    /// Handler calls in flight per connection (1, like Kafka's one in-flight request per connection).
    public var maxConcurrentRequestsPerConnection: Int = 1
    /// Requests decoded but not yet answered, per connection; reads pause when this many are queued.
    public var maxQueuedRequestsPerConnection: Int = 64
    /// The advertised API versions.
    public var apiVersions: KafkaAPIVersions = .default
    /// Receives one line per closed-on-error connection.
    public var log: @Sendable (String) -> Void = { _ in }

    public init() {}
}
