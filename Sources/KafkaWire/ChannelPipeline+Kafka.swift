import NIOCore
import Synchronization

/// Process-unique connection ids.
private let kafkaConnectionIDs = Atomic<UInt64>(0)

extension ChannelPipeline {
    /// Adds the Kafka server handlers (frame decoder and request handler) for one accepted connection.
    public func addKafkaServerHandlers(
        handler: any KafkaRequestHandler, configuration: KafkaWireConfiguration = KafkaWireConfiguration()
    ) -> EventLoopFuture<Void> {
        if eventLoop.inEventLoop {
            return eventLoop.makeCompletedFuture {
                try syncOperations.addKafkaServerHandlers(handler: handler, configuration: configuration)
            }
        }
        return eventLoop.submit {
            try self.syncOperations.addKafkaServerHandlers(handler: handler, configuration: configuration)
        }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Adds the Kafka server handlers; must be called on the channel's event loop.
    public func addKafkaServerHandlers(
        handler: any KafkaRequestHandler, configuration: KafkaWireConfiguration = KafkaWireConfiguration()
    ) throws {
        try addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: configuration.maxRequestSize)))
        try addHandler(
            KafkaServerHandler(
                handler: handler, configuration: configuration,
                connectionID: kafkaConnectionIDs.add(1, ordering: .relaxed).newValue))
    }
}
