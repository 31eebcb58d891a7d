import NIOCore

// MARK: - Row streaming: DataRow batches, PortalSuspended, COPY OUT data (protocol docs, "COPY Operations")

extension ConnectionStateMachine {
    /// Consuming: the streaming state moves into `state` (a borrowed one would be copied, field by field).
    mutating func fetch(_ streaming: consuming Streaming) -> Step {
        let batch = min(configuration.rowBatchSize, streaming.remaining ?? Int.max)
        let stream = streaming.stream
        state = .busy(.streaming(streaming))
        return .fetchRows(stream, maxRows: batch)
    }

    /// The stream returned a batch (nil: it ended). Sends the rows, then asks for more, suspends the
    /// portal at its max_rows, or completes the statement (also after a batch marked last).
    public mutating func rowsFetched(_ batch: PGRowBatch?) -> Step {
        guard case .busy(.streaming) = state else {
            return fatal(PGError(SQLState.internalError, "rows arrived while no statement was streaming"))
        }
        // Moved out of `state` rather than copied: every path below sets the state anew.
        var current = State.ready
        swap(&current, &state)
        guard case .busy(.streaming(var streaming)) = consume current else { preconditionFailure("checked above") }
        guard let batch else { return streamEnded(streaming) }
        let rowCount = min(batch.rowCount, streaming.remaining ?? Int.max)
        for row in 0..<rowCount { sendRow(batch[row: row], streaming, first: streaming.rowsSent + row == 0) }
        streaming.rowsSent += rowCount
        streaming.remaining = streaming.remaining.map { $0 - rowCount }
        if streaming.remaining == 0, let portal = streaming.portal {
            send(.portalSuspended)
            streaming.remaining = nil
            portals[portal]?.stream = streaming
            return readyForExtended()
        }
        if batch.isLast { return streamEnded(streaming) }
        return fetch(streaming)
    }

    private mutating func sendRow(_ cells: ArraySlice<PGCell>, _ streaming: Streaming, first: Bool) {
        guard let format = streaming.copy else {
            return DataRow.encode(cells: cells, formats: streaming.formats, into: &output)
        }
        CopyData.encodeRow(cells, format: format, header: first, into: &output)
    }

    private mutating func streamEnded(_ streaming: Streaming) -> Step {
        streamsToClose.append(streaming.stream)
        if let format = streaming.copy {
            if format == .binary { CopyData.encodeBinaryTrailer(header: streaming.rowsSent == 0, into: &output) }
            send(.copyDone)
        }
        let tag = "\(streaming.verb) \(streaming.rowsSent)"
        send(.commandComplete(tag))
        if let portal = streaming.portal { portals[portal]?.stream = nil }
        return statementFinished(portal: streaming.portal, tag: tag)
    }
}
