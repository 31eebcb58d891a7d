import NIOCore

// MARK: - COPY FROM STDIN (protocol docs, "COPY Operations")

extension ConnectionStateMachine {
    mutating func receivedDuringCopyIn(_ message: FrontendMessage, sink: any PGCopyInSink, mode: Mode) -> Step {
        switch message {
        case .copyData(let data):
            state = .busy(.copyInWaiting(sink, mode))
            return .copyInData(sink, data)
        case .copyDone:
            state = .busy(.copyInWaiting(sink, mode))
            return .copyInDone(sink)
        case .copyFail(let fail):
            state = .busy(.copyInWaiting(sink, mode))
            return .copyInFail(sink, fail.message)
        case .flush, .sync:
            return .readNext  // "ignored during COPY IN", so a client may send them early
        case .terminate:
            return closeConnection()
        default:
            return fatal(PGError.protocolViolation("unexpected message type during COPY from stdin"))
        }
    }

    /// `sink.receive` returned: wait for more data.
    public mutating func copyDataConsumed() -> Step {
        guard case .busy(.copyInWaiting(let sink, let mode)) = state else { return unexpectedOutcome("copyData") }
        state = .busy(.copyIn(sink, mode))
        return .readNext
    }

    /// `sink.finish` returned the command tag.
    public mutating func copyInFinished(tag: String) -> Step {
        guard case .busy(.copyInWaiting) = state else { return unexpectedOutcome("copyInFinished") }
        send(.commandComplete(tag))
        return statementFinished(portal: nil, tag: tag)
    }

    /// `sink.fail` returned after the client's CopyFail.
    public mutating func copyInFailed(message: String) -> Step {
        guard case .busy(.copyInWaiting) = state else { return unexpectedOutcome("copyInFailed") }
        send(.error(PGError(SQLState.queryCanceled, "COPY from stdin failed: \(message)")))
        return afterError()
    }
}
