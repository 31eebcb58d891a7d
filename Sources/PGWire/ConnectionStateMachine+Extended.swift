import NIOCore

// MARK: - Extended query protocol (protocol docs, "Extended Query")

extension ConnectionStateMachine {
    /// An error in the extended protocol: report it and skip until Sync.
    private mutating func extendedError(_ error: PGError) -> Step {
        send(.error(error))
        return afterError()
    }

    mutating func receivedParse(_ parse: Parse) -> Step {
        mode = .extended
        if !parse.name.isEmpty, statements[parse.name] != nil {
            return extendedError(
                PGError(SQLState.duplicatePreparedStatement, "prepared statement \"\(parse.name)\" already exists"))
        }
        state = .busy(.parsing(name: parse.name))
        return .prepare(name: parse.name, sql: parse.sql, parameterTypes: parse.parameterTypes)
    }

    /// `PGSession.prepare` returned.
    public mutating func statementPrepared(_ statement: any PGPreparedStatement) -> Step {
        guard case .busy(.parsing(let name)) = state else { return unexpectedOutcome("statementPrepared") }
        statements[name] = statement
        send(.parseComplete)
        return readyForExtended()
    }

    mutating func receivedBind(_ bind: Bind) -> Step {
        mode = .extended
        guard let statement = statements[bind.statement] else { return extendedError(.noStatement(bind.statement)) }
        if !bind.portal.isEmpty, portals[bind.portal] != nil {
            return extendedError(PGError(SQLState.duplicateCursor, "cursor \"\(bind.portal)\" already exists"))
        }
        let types = statement.parameterTypes
        guard bind.parameters.count == types.count else {
            return extendedError(
                PGError(
                    SQLState.protocolViolation,
                    "bind message supplies \(bind.parameters.count) parameters, but prepared statement "
                        + "\"\(bind.statement)\" requires \(types.count)"))
        }
        do {
            let formats = try PGFormat.expand(bind.parameterFormats, count: types.count)
            let parameters = bind.parameters.indices.map {
                PGBindParameter(value: bind.parameters[$0], format: formats[$0], typeOID: types[$0])
            }
            state = .busy(.binding(portal: bind.portal, resultFormats: bind.resultFormats))
            return .bind(statement, portalName: bind.portal, parameters: parameters)
        } catch {
            return extendedError(error)
        }
    }

    /// `PGSession.bind` returned.
    public mutating func portalBound(_ portal: any PGPortal) -> Step {
        guard case .busy(.binding(let name, let resultFormats)) = state else { return unexpectedOutcome("portalBound") }
        let formats: [PGFormat]
        do {
            formats = try PGFormat.expand(resultFormats, count: portal.columns?.count ?? 0)
        } catch {
            return extendedError(error)
        }
        dropPortal(name)
        portals[name] = PortalEntry(portal: portal, formats: formats)
        send(.bindComplete)
        return readyForExtended()
    }

    mutating func receivedDescribe(_ describe: Describe) -> Step {
        mode = .extended
        switch describe.kind {
        case .statement:
            guard let statement = statements[describe.name] else { return extendedError(.noStatement(describe.name)) }
            send(.parameterDescription(statement.parameterTypes))
            describeColumns(statement.columns, formats: nil)
        case .portal:
            guard let entry = portals[describe.name] else { return extendedError(.noPortal(describe.name)) }
            describeColumns(entry.portal.columns, formats: entry.formats)
        }
        return readyForExtended()
    }

    private mutating func describeColumns(_ columns: [PGColumn]?, formats: [PGFormat]?) {
        guard let columns else { return send(.noData) }
        // A prepared statement described before each execution (libpq's PQexecPrepared, pgbench -M prepared)
        // passes the same column array every time: its RowDescription is encoded once.
        if let cached = describedColumns, cached.formats == formats, Self.sameStorage(cached.columns, columns) {
            output.writeImmutableBuffer(cached.message)
            return
        }
        var message = ByteBuffer()
        BackendMessage.rowDescription(RowDescription(columns: columns, formats: formats)).encode(into: &message)
        output.writeImmutableBuffer(message)
        describedColumns = (columns, formats, message)
    }

    /// Whether two arrays share one buffer (the cache keeps its array, so the buffer cannot be reused meanwhile).
    private static func sameStorage(_ a: [PGColumn], _ b: [PGColumn]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    mutating func receivedExecute(_ execute: Execute) -> Step {
        mode = .extended
        guard let entry = portals[execute.portal] else { return extendedError(.noPortal(execute.portal)) }
        if var streaming = entry.stream {
            // A resumed portal: like PostgreSQL, the command tag counts this Execute's rows only.
            streaming.remaining = execute.maxRows > 0 ? Int(execute.maxRows) : nil
            streaming.rowsSent = 0
            return fetch(streaming)
        }
        if let completion = entry.completion {
            send(completion.map { .commandComplete($0) } ?? .emptyQueryResponse)
            return readyForExtended()
        }
        state = .busy(.executing(portal: execute.portal, maxRows: execute.maxRows))
        return .executePortal(entry.portal)
    }

    /// `PGPortal.execute` returned.
    public mutating func portalExecuted(_ result: consuming PGQueryResult) -> Step {
        guard case .busy(.executing(let name, let maxRows)) = state else { return unexpectedOutcome("portalExecuted") }
        var formats = portals[name]?.formats
        if case .rows(let stream, _) = result, formats?.count != stream.columns.count { formats = nil }
        return startResult(consume result, portal: name, formats: formats, maxRows: maxRows)
    }

    mutating func receivedClose(_ close: Close) -> Step {
        mode = .extended
        switch close.kind {
        case .statement: statements[close.name] = nil
        case .portal: dropPortal(close.name)
        }
        send(.closeComplete)
        return readyForExtended()
    }

    /// Sync ends the implicit transaction: outside a transaction block, portals are dropped (as
    /// PostgreSQL drops them at transaction end); then ReadyForQuery.
    mutating func receivedSync() -> Step {
        if transactionStatus == .idle, !portals.isEmpty { dropAllPortals() }
        return readyForQuery()
    }

    /// Drops every portal, leaving their suspended streams to be closed (Sync at transaction end, connection end).
    mutating func dropAllPortals() {
        var abandoned: [any PGRowStream] = []
        portals.removeAll { entry in if let stream = entry.stream?.stream { abandoned.append(stream) } }
        streamsToClose += abandoned
    }

    mutating func dropPortal(_ name: String) {
        if let stream = portals.removeValue(forKey: name)?.stream?.stream { streamsToClose.append(stream) }
    }

    mutating func unexpectedOutcome(_ event: String) -> Step {
        fatal(PGError(SQLState.internalError, "internal error: \(event) in the wrong state"))
    }
}

extension PGError {
    static func noStatement(_ name: String) -> PGError {
        PGError(SQLState.invalidSQLStatementName, "prepared statement \"\(name)\" does not exist")
    }

    static func noPortal(_ name: String) -> PGError {
        PGError(SQLState.invalidCursorName, "portal \"\(name)\" does not exist")
    }
}
