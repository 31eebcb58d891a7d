// MARK: - Simple query (protocol docs, "Simple Query" and "Multiple Statements in a Simple Query")

extension ConnectionStateMachine {
    mutating func startSimpleQuery(_ sql: String) -> Step {
        mode = .simple
        state = .busy(.runningQuery)
        return .runSimpleQuery(sql)
    }

    /// `PGSession.simpleQuery` returned its iterator.
    public mutating func simpleQueryStarted() -> Step {
        state = .busy(.awaitingStatement)
        return .nextStatement
    }

    /// The iterator's `next()` returned: nil ends the query with ReadyForQuery.
    public mutating func statementReceived(_ result: PGQueryResult?) -> Step {
        guard let result else { return readyForQuery() }
        return startResult(result, portal: nil, formats: nil, maxRows: 0)
    }

    /// Turns one statement's result into its opening messages and the next step. `portal` is nil in a
    /// simple query (RowDescription is sent) and the portal's name when executing (Describe sent it).
    mutating func startResult(
        _ result: consuming PGQueryResult, portal: String?, formats: [PGFormat]?, maxRows: Int32
    ) -> Step {
        switch consume result {
        case .command(let tag):
            send(.commandComplete(tag))
            return statementFinished(portal: portal, tag: tag)
        case .emptyQuery:
            send(.emptyQueryResponse)
            return statementFinished(portal: portal, tag: nil)
        case .notice(let notice):
            send(.notice(notice))
            return portal == nil ? statementFinished(portal: nil, tag: nil) : readyForExtended()
        case .rows(let stream, let verb):
            let formats = formats ?? Array(repeating: .text, count: stream.columns.count)
            if portal == nil { send(.rowDescription(RowDescription(columns: stream.columns, formats: formats))) }
            let limit = maxRows > 0 ? Int(maxRows) : nil
            let streaming = Streaming(
                stream: stream, verb: verb, formats: formats, copy: nil, remaining: limit, portal: portal)
            return fetch(streaming)
        case .copyOut(let stream, let format):
            send(.copyOutResponse(format.response(columns: stream.columns.count)))
            let formats = Array(repeating: format.wireFormat, count: stream.columns.count)
            return fetch(Streaming(stream: stream, verb: "COPY", formats: formats, copy: format, portal: portal))
        case .copyIn(let sink, let columnCount, let format):
            send(.copyInResponse(format.response(columns: columnCount)))
            state = .busy(.copyIn(sink, mode))
            return .readNext
        }
    }

    /// After a statement completed: the next statement (simple query) or the next message (extended).
    mutating func statementFinished(portal: String?, tag: String?) -> Step {
        if let portal { portals[portal]?.completion = .some(tag) }
        switch mode {
        case .simple:
            state = .busy(.awaitingStatement)
            return .nextStatement
        case .extended:
            return readyForExtended()
        }
    }

    mutating func readyForExtended() -> Step {
        state = .ready
        return .readNext
    }
}
