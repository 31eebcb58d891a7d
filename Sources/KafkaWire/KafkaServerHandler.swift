import NIOCore

/// The per-connection Kafka server handler: decodes each frame's header and body, answers ApiVersions itself,
/// calls the `KafkaRequestHandler` for everything else, and writes responses strictly in request order
/// (kafka-python and aiokafka match each response against the oldest in-flight correlation id).
///
/// Runs on the channel's event loop only; handler calls run as tasks and hop back to the loop to complete.
/// Up to `maxConcurrentRequestsPerConnection` calls are in flight; reads pause while
/// `maxQueuedRequestsPerConnection` requests are waiting. Any protocol violation, or a handler throw, closes
/// this connection with one log line.
final class KafkaServerHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// One decoded request waiting for its response to be written, in arrival order.
    private struct Slot {
        enum State {
            case queued(KafkaRequest)
            case running
            /// Encoded response frame, or nil when no response is sent (Produce acks=0).
            case done(ByteBuffer?)
        }
        var sequence: UInt64
        var header: KafkaRequestHeader
        var apiKey: KafkaAPIKey
        /// False for Produce with acks=0: the handler is called but nothing is written.
        var expectsResponse: Bool
        var state: State
    }

    private let handler: any KafkaRequestHandler
    private let configuration: KafkaWireConfiguration
    private let connectionID: UInt64
    private var slots: [Slot] = []
    private var nextSequence: UInt64 = 0
    private var running = 0
    private var readPending = false
    private var closed = false
    private var remoteAddress: SocketAddress?

    init(handler: any KafkaRequestHandler, configuration: KafkaWireConfiguration, connectionID: UInt64) {
        self.handler = handler
        self.configuration = configuration
        self.connectionID = connectionID
    }

    // MARK: - Inbound

    func channelActive(context: ChannelHandlerContext) {
        remoteAddress = context.remoteAddress
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        slots.removeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closed else { return }
        var frame = unwrapInboundIn(data)
        do {
            try accept(frame: &frame, context: context)
        } catch {
            close(context: context, reason: "\(error)")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, reason: "\(error)")
    }

    // MARK: - Read back-pressure

    func read(context: ChannelHandlerContext) {
        if slots.count >= configuration.maxQueuedRequestsPerConnection {
            readPending = true
        } else {
            context.read()
        }
    }

    private func resumeReadsIfPossible(context: ChannelHandlerContext) {
        if readPending && slots.count < configuration.maxQueuedRequestsPerConnection {
            readPending = false
            context.read()
        }
    }

    // MARK: - Requests

    private func accept(frame: inout ByteBuffer, context: ChannelHandlerContext) throws(KafkaWireError) {
        let header = try KafkaRequestHeader.decode(from: &frame)
        guard let apiKey = header.knownAPIKey, configuration.apiVersions.ranges[apiKey] != nil else {
            throw KafkaWireError(.unsupportedAPI, "unknown or unadvertised API key \(header.apiKey)")
        }
        if apiKey == .apiVersions {
            enqueue(
                header: header, apiKey: apiKey, expectsResponse: true, state: .done(apiVersionsFrame(header: header)))
            // Earlier requests may still be running: the answer waits its turn in the queue.
            return writeFinishedResponses(context: context)
        }
        guard apiKey.versions.contains(header.apiVersion),
            configuration.apiVersions.supports(apiKey, version: header.apiVersion)
        else {
            // Kafka has no UNSUPPORTED_VERSION body for other APIs at versions the client should not have sent
            // (ApiVersions told it the range); the broker closes the connection. Produce v0-2 lands here too.
            throw KafkaWireError(.unsupportedVersion, "\(apiKey.name) v\(header.apiVersion) is not supported")
        }
        let request = try KafkaRequest.decode(apiKey: apiKey, version: header.apiVersion, from: &frame)
        var expectsResponse = true
        if case .produce(let produce) = request, produce.acks == 0 { expectsResponse = false }
        enqueue(header: header, apiKey: apiKey, expectsResponse: expectsResponse, state: .queued(request))
        startQueued(context: context)
    }

    private func enqueue(header: KafkaRequestHeader, apiKey: KafkaAPIKey, expectsResponse: Bool, state: Slot.State) {
        slots.append(
            Slot(sequence: nextSequence, header: header, apiKey: apiKey, expectsResponse: expectsResponse, state: state)
        )
        nextSequence += 1
    }

    /// The wire layer's own ApiVersions answer. A version above ours gets UNSUPPORTED_VERSION encoded at v0
    /// with our table, so that the client retries with a version we support (KIP-511).
    private func apiVersionsFrame(header: KafkaRequestHeader) -> ByteBuffer {
        var response = ApiVersionsResponse(apiKeys: configuration.apiVersions.apiKeys)
        var version = header.apiVersion
        if !ApiVersionsRequest.versions.contains(version)
            || !configuration.apiVersions.supports(.apiVersions, version: version)
        {
            response.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
            version = 0
        }
        return Self.frame(
            .apiVersions(response), correlationID: header.correlationID, apiKey: .apiVersions, version: version)
    }

    /// Starts queued requests while fewer than the allowed number of handler calls are in flight.
    private func startQueued(context: ChannelHandlerContext) {
        var index = 0
        while running < configuration.maxConcurrentRequestsPerConnection, index < slots.count {
            if case .queued(let request) = slots[index].state {
                slots[index].state = .running
                running += 1
                start(request: request, slot: slots[index], context: context)
            }
            index += 1
        }
    }

    private func start(request: KafkaRequest, slot: Slot, context: ChannelHandlerContext) {
        let handler = self.handler
        let requestContext = KafkaRequestContext(
            header: slot.header, remoteAddress: remoteAddress, connectionID: connectionID)
        let future = context.eventLoop.makeFutureWithTask {
            try await handler.handle(request, context: requestContext)
        }
        let sequence = slot.sequence
        future.assumeIsolated().whenComplete { result in
            self.complete(sequence: sequence, result: result, context: context)
        }
    }

    private func complete(sequence: UInt64, result: Result<KafkaResponse, any Error>, context: ChannelHandlerContext) {
        running -= 1
        guard !closed, let index = slots.firstIndex(where: { $0.sequence == sequence }) else { return }
        let slot = slots[index]
        switch result {
        case .failure(let error):
            return close(context: context, reason: "handler threw for \(slot.apiKey.name): \(error)")
        case .success(let response):
            guard response.apiKey == slot.apiKey else {
                return close(
                    context: context, reason: "handler answered \(slot.apiKey.name) with \(response.apiKey.name)")
            }
            if !slot.expectsResponse {
                slots[index].state = .done(nil)
            } else {
                slots[index].state = .done(
                    Self.frame(
                        response, correlationID: slot.header.correlationID, apiKey: slot.apiKey,
                        version: slot.header.apiVersion))
            }
        }
        writeFinishedResponses(context: context)
        startQueued(context: context)
    }

    // MARK: - Responses

    /// Writes every finished response at the head of the queue, in order.
    private func writeFinishedResponses(context: ChannelHandlerContext) {
        var wrote = false
        while let first = slots.first, case .done(let frame) = first.state {
            slots.removeFirst()
            if let frame {
                context.write(wrapOutboundOut(frame), promise: nil)
                wrote = true
            }
        }
        if wrote { context.flush() }
        resumeReadsIfPossible(context: context)
    }

    static func frame(_ response: KafkaResponse, correlationID: Int32, apiKey: KafkaAPIKey, version: Int16)
        -> ByteBuffer
    {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(0))
        KafkaResponseHeader.encode(
            correlationID: correlationID,
            headerVersion: KafkaResponseHeader.version(apiKey: apiKey, apiVersion: version),
            into: &buffer)
        response.encode(into: &buffer, version: version)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return buffer
    }

    private func close(context: ChannelHandlerContext, reason: String) {
        guard !closed else { return }
        closed = true
        slots.removeAll()
        let peer = remoteAddress.map { "\($0)" } ?? "unknown peer"
        configuration.log("kafka connection \(connectionID) from \(peer) closed: \(reason)")
        context.close(promise: nil)
    }
}
