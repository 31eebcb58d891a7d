import NIOCore

/// Installs the PostgreSQL-wire handler on a freshly accepted channel: the connection handler (which frames
/// messages with `FrontendMessageDecoder`) around a new `PGSession`. The Server module binds the socket and calls this from its
/// child-channel initializer:
///
/// ```swift
/// ServerBootstrap(group: group)
///     .childChannelOption(.autoRead, value: true)
///     .childChannelInitializer { channel in
///         channel.eventLoop.makeCompletedFuture {
///             try PGWirePipeline.addHandlers(to: channel.pipeline.syncOperations, configuration: config,
///                                            registry: registry, session: makeSession())
///         }
///     }
/// ```
public enum PGWirePipeline {
    /// Per-server settings shared by every connection.
    public struct Configuration: Sendable {
        /// A larger frontend message is a protocol violation (08P01) and closes the connection.
        public var maximumMessageSize: Int
        public var connection: ConnectionStateMachine.Configuration

        public init(
            maximumMessageSize: Int = FrontendMessageDecoder.defaultMaximumMessageSize,
            connection: ConnectionStateMachine.Configuration = .init()
        ) {
            self.maximumMessageSize = maximumMessageSize
            self.connection = connection
        }
    }

    /// Adds the handler for `session`; call on the channel's event loop.
    @discardableResult
    public static func addHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, configuration: Configuration,
        registry: PGCancelRegistry, session: any PGSession
    ) throws -> PGConnectionHandler {
        let handler = PGConnectionHandler(
            session: session, registry: registry, configuration: configuration.connection,
            maximumMessageSize: configuration.maximumMessageSize)
        do {
            try pipeline.addHandler(handler)
        } catch {
            registry.unregister(processID: handler.backendKey.processID)
            throw error
        }
        return handler
    }

    /// The same from any thread: hops to the channel's event loop.
    public static func install(
        on channel: any Channel, configuration: Configuration, registry: PGCancelRegistry,
        makeSession: @escaping @Sendable () -> any PGSession
    ) -> EventLoopFuture<Void> {
        channel.eventLoop.submit {
            try addHandlers(
                to: channel.pipeline.syncOperations, configuration: configuration, registry: registry,
                session: makeSession())
        }.map { _ in }
    }
}
