import NIOCore
import PGWire
import Testing

@Suite struct ConnectionStateMachineTests {
    static let columnT = RowDescription(columns: TestSession.tColumns)

    func dataRow(_ values: String?...) -> BackendMessage {
        .dataRow(DataRow(values: values.map { $0.map { ByteBuffer(string: $0) } }))
    }

    @Test func startupWithTrust() async {
        var driver = MachineDriver()
        let messages = await driver.startup()
        #expect(messages.first == .authentication(.ok))
        #expect(messages.contains(.parameterStatus(name: "client_encoding", value: "UTF8")))
        #expect(
            messages.suffix(2) == [.backendKeyData(BackendKeyData(processID: 7, secretKey: 42)), .readyForQuery(.idle)])
    }

    /// The output buffer's storage is reused once the channel lets go of the bytes taken from it; bytes still held
    /// (not yet written) are never changed by the next reply.
    @Test func takenOutputIsNeverOverwrittenAndItsStorageIsReused() async throws {
        var driver = MachineDriver()
        _ = await driver.startup()
        func baseAddress(_ buffer: ByteBuffer) -> UnsafeRawPointer? {
            buffer.withUnsafeReadableBytes { $0.baseAddress }
        }
        func take() throws -> ByteBuffer {
            let output = driver.machine.takeOutput()
            return try #require(output)
        }
        _ = driver.machine.received(.sync)
        let held = try take()
        let heldBytes = Array(held.readableBytesView)
        // Written while `held` is still referenced, and different from it (status T, not I): writing into the
        // shared storage in place would change `held`.
        driver.machine.transactionStatus = .inTransaction
        _ = driver.machine.received(.sync)
        var next = try take()
        #expect(Array(held.readableBytesView) == heldBytes)
        #expect(try BackendFrames.decode(&next) == [.readyForQuery(.inTransaction)])
        var copy = held
        #expect(try BackendFrames.decode(&copy) == [.readyForQuery(.idle)])
        driver.machine.transactionStatus = .idle
        // Let go of the taken bytes (as a channel does once written): the next reply goes into the same storage.
        _ = driver.machine.received(.sync)
        var released = try take()
        let address = baseAddress(released)
        #expect(try BackendFrames.decode(&released) == [.readyForQuery(.idle)])
        released = ByteBuffer()
        next = ByteBuffer()
        _ = driver.machine.received(.sync)
        var reused = try take()
        #expect(baseAddress(reused) == address)
        #expect(try BackendFrames.decode(&reused) == [.readyForQuery(.idle)])
    }

    @Test func sslAndGSSRequestsAreRefusedThenStartupProceeds() async {
        var driver = MachineDriver()
        #expect(await driver.send(.sslRequest) == [.encryptionRefused])
        #expect(await driver.send(.gssEncryptionRequest) == [.encryptionRefused])
        #expect(await driver.startup().last == .readyForQuery(.idle))
    }

    @Test func newerMinorVersionIsNegotiatedDownTo30() async {
        var driver = MachineDriver()
        let messages = await driver.send(
            .startup(
                StartupMessage(
                    protocolVersion: 196_610, parameters: ["user": "u", "database": "sluice", "_pq_.opt": "1"])))
        #expect(messages.first == .negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: ["_pq_.opt"]))
        #expect(messages.dropFirst().first == .authentication(.ok))
        #expect(messages.last == .readyForQuery(.idle))
    }

    @Test func unknownDatabaseIsFatal3D000() async {
        var driver = MachineDriver()
        let messages = await driver.startup(database: "other")
        #expect(messages.last?.errorFields?.code == SQLState.invalidCatalogName)
        #expect(messages.last?.errorFields?.severity == .fatal)
        #expect(driver.closed)
    }

    @Test func connectionBeyondTheLimitIsFatal53300() async {
        var full = MachineDriver(maximumConnections: 2, openConnections: 3)
        let messages = await full.startup()
        #expect(messages.count == 1)
        #expect(messages.last?.errorFields?.code == SQLState.tooManyConnections)
        #expect(messages.last?.errorFields?.severity == .fatal)
        #expect(full.closed)
        // The last connection the limit allows starts as usual.
        var last = MachineDriver(maximumConnections: 2, openConnections: 2)
        #expect(await last.startup().last == .readyForQuery(.idle))
        #expect(!last.closed)
    }

    @Test func missingUserIs28000() async {
        var driver = MachineDriver()
        let messages = await driver.send(.startup(StartupMessage(parameters: ["database": "sluice"])))
        #expect(messages.last?.errorFields?.code == SQLState.invalidAuthorizationSpecification)
        #expect(driver.closed)
    }

    @Test func simpleQueryWithTwoStatements() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("SELECT 1; SELECT * FROM t"))
        #expect(
            messages == [
                .rowDescription(RowDescription(columns: [PGColumn(name: "?column?", type: .int4)])), dataRow("1"),
                .commandComplete("SELECT 1"),
                .rowDescription(Self.columnT), dataRow("1", "one"), dataRow("2", "two"), dataRow("3", nil),
                .commandComplete("SELECT 3"), .readyForQuery(.idle),
            ])
        #expect(driver.closedStreams == 2)
    }

    @Test func emptyQueryAndNotice() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        #expect(await driver.send(.query("  ")) == [.emptyQueryResponse, .readyForQuery(.idle)])
        let notice = await driver.send(.query("NOTICE ME"))
        #expect(notice.count == 2)
        if case .noticeResponse(let fields) = notice[0] {
            #expect(fields.value("M") == "a notice")
        } else {
            Issue.record()
        }
    }

    @Test func changedSettingsAreReportedBeforeReadyForQuery() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("SET application_name = 'x'; SELECT 1"))
        #expect(messages.first == .commandComplete("SET"))
        #expect(messages.suffix(2) == [.parameterStatus(name: "application_name", value: "x"), .readyForQuery(.idle)])
        let extended = await driver.send(
            .parse(Parse(name: "", sql: "SET application_name = 'x'")), .bind(Bind(portal: "", statement: "")),
            .execute(Execute(portal: "")), .sync)
        #expect(
            extended.suffix(3) == [
                .commandComplete("SET"), .parameterStatus(name: "application_name", value: "x"), .readyForQuery(.idle),
            ])
    }

    @Test func errorInSecondStatementStopsTheRest() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("BEGIN; SELEC oops; SELECT 1"))
        #expect(messages.count == 3)
        #expect(messages[0] == .commandComplete("BEGIN"))
        let error = messages[1].errorFields
        #expect(error?.code == SQLState.syntaxError)
        #expect(error?.position == 8)
        #expect(error?.severity == .error)
        #expect(messages[2] == .readyForQuery(.inTransaction))
        #expect(!driver.closed)
    }

    @Test func extendedProtocolNamedStatementPortalAndMaxRows() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        _ = await driver.send(.query("BEGIN"))
        let prepared = await driver.send(
            .parse(Parse(name: "s1", sql: "SELECT * FROM numbers")), .describe(Describe(kind: .statement, name: "s1")),
            .bind(Bind(portal: "p1", statement: "s1", resultFormats: [1])),
            .describe(Describe(kind: .portal, name: "p1")),
            .execute(Execute(portal: "p1", maxRows: 4)), .sync)
        let int8 = PGColumn(name: "n", type: .int8)
        let binary = { (n: Int64) -> BackendMessage in
            var value = ByteBuffer()
            value.writeInteger(n)
            return .dataRow(DataRow(values: [value]))
        }
        #expect(
            prepared == [
                .parseComplete, .parameterDescription([]), .rowDescription(RowDescription(columns: [int8])),
                .bindComplete, .rowDescription(RowDescription(columns: [int8], formats: [.binary])),
                binary(1), binary(2), binary(3), binary(4), .portalSuspended, .readyForQuery(.inTransaction),
            ])
        let rest = await driver.send(
            .execute(Execute(portal: "p1", maxRows: 4)), .execute(Execute(portal: "p1")), .sync)
        #expect(
            rest == [
                binary(5), binary(6), binary(7), binary(8), .portalSuspended,
                binary(9), binary(10), .commandComplete("SELECT 2"), .readyForQuery(.inTransaction),
            ])
        let closed = await driver.send(
            .close(Close(kind: .portal, name: "p1")), .close(Close(kind: .statement, name: "s1")),
            .describe(Describe(kind: .statement, name: "s1")), .sync)
        #expect(closed.prefix(2) == [.closeComplete, .closeComplete])
        #expect(closed[2].errorFields?.code == SQLState.invalidSQLStatementName)
        #expect(closed.last == .readyForQuery(.inTransaction))
    }

    /// Describe reuses the last RowDescription it encoded only for the very same columns and formats.
    @Test func describeOfOtherStatementsAndFormatsIsNotReused() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        _ = await driver.send(
            .parse(Parse(name: "one", sql: "SELECT 1")), .parse(Parse(name: "nums", sql: "SELECT * FROM numbers")), .sync)
        let described = await driver.send(
            .describe(Describe(kind: .statement, name: "one")), .describe(Describe(kind: .statement, name: "nums")),
            .describe(Describe(kind: .statement, name: "one")), .describe(Describe(kind: .statement, name: "one")),
            .bind(Bind(portal: "", statement: "one", resultFormats: [1])), .describe(Describe(kind: .portal, name: "")),
            .sync)
        let descriptions = described.compactMap { if case .rowDescription(let d) = $0 { d } else { nil } }
        let one = PGColumn(name: "?column?", type: .int4)
        let n = PGColumn(name: "n", type: .int8)
        #expect(
            descriptions == [
                RowDescription(columns: [one]), RowDescription(columns: [n]), RowDescription(columns: [one]),
                RowDescription(columns: [one]), RowDescription(columns: [one], formats: [.binary]),
            ])
    }

    @Test func unnamedStatementWithTextParameter() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(
            .parse(Parse(name: "", sql: "SELECT $1", parameterTypes: [0])),
            .bind(Bind(portal: "", statement: "", parameters: [ByteBuffer(string: "42")])),
            .describe(Describe(kind: .portal, name: "")), .execute(Execute(portal: "")), .sync)
        #expect(
            messages == [
                .parseComplete, .bindComplete,
                .rowDescription(RowDescription(columns: [PGColumn(name: "value", type: .int4)])),
                dataRow("42"), .commandComplete("SELECT 1"), .readyForQuery(.idle),
            ])
    }

    @Test func errorSkipsUntilSync() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(
            .parse(Parse(name: "", sql: "SELEC nonsense")), .bind(Bind(portal: "", statement: "")),
            .execute(Execute(portal: "")), .sync, .query("SELECT 1"))
        #expect(messages.count == 6)
        #expect(messages[0].errorFields?.code == SQLState.syntaxError)
        #expect(messages[1] == .readyForQuery(.idle))
        #expect(messages.last == .readyForQuery(.idle))
    }

    @Test func missingPortalAndBadParameterCount() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let missing = await driver.send(.execute(Execute(portal: "nope")), .sync)
        #expect(missing.first?.errorFields?.code == SQLState.invalidCursorName)
        let badCount = await driver.send(
            .parse(Parse(name: "", sql: "SELECT $1")), .bind(Bind(portal: "", statement: "")), .sync)
        #expect(badCount[1].errorFields?.code == SQLState.protocolViolation)
        #expect(badCount.last == .readyForQuery(.idle))
        let invalidInt = await driver.send(
            .parse(Parse(name: "", sql: "SELECT $1")),
            .bind(Bind(portal: "", statement: "", parameters: [ByteBuffer(string: "x1")])), .sync)
        #expect(invalidInt[1].errorFields?.code == SQLState.invalidTextRepresentation)
    }

    @Test func copyOutStreamsRowsAsCopyData() async {
        var driver = MachineDriver(batchSize: 2)
        _ = await driver.startup()
        let messages = await driver.send(.query("COPY t TO STDOUT"))
        #expect(
            messages == [
                .copyOutResponse(.text(columns: 2)), .copyData(ByteBuffer(string: "1\tone\n")),
                .copyData(ByteBuffer(string: "2\ttwo\n")), .copyData(ByteBuffer(string: "3\t\\N\n")), .copyDone,
                .commandComplete("COPY 3"), .readyForQuery(.idle),
            ])
    }

    @Test func copyInFeedsTheSinkUntilCopyDone() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        #expect(await driver.send(.query("COPY t FROM STDIN")) == [.copyInResponse(.text(columns: 2))])
        let done = await driver.send(
            .copyData(ByteBuffer(string: "1\ta\n2\t")), .flush, .copyData(ByteBuffer(string: "b\n")), .copyDone)
        #expect(done == [.commandComplete("COPY 2"), .readyForQuery(.idle)])
        #expect(driver.session.copiedText == "1\ta\n2\tb\n")
    }

    @Test func copyFailReports57014() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        _ = await driver.send(.query("COPY t FROM STDIN"))
        let failed = await driver.send(.copyFail(CopyFail(message: "user gave up")))
        #expect(failed[0].errorFields?.code == SQLState.queryCanceled)
        #expect(failed[0].errorFields?.message == "COPY from stdin failed: user gave up")
        #expect(failed[1] == .readyForQuery(.idle))
    }

    @Test func cancelledStreamReports57014() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        driver.session.cancel()
        let messages = await driver.send(.query("SELECT * FROM forever"))
        #expect(messages.count == 3)
        #expect(messages[1].errorFields?.code == SQLState.queryCanceled)
        #expect(messages[2] == .readyForQuery(.idle))
        #expect(driver.closedStreams == 1)
    }

    @Test func cancelRequestAsksForTheBackendAndCloses() async {
        var driver = MachineDriver()
        _ = await driver.send(.cancel(CancelRequest(processID: 9, secretKey: 10)))
        #expect(driver.cancelled == CancelRequest(processID: 9, secretKey: 10))
        #expect(driver.closed)
    }

    @Test func terminateCloses() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        #expect(await driver.send(.terminate).isEmpty)
        #expect(driver.closed)
    }

    @Test func decodingFailureIsFatal08P01() {
        var driver = MachineDriver()
        let step = driver.machine.decodingFailed(PGError.protocolViolation("bad"))
        guard case .close = step else { return #expect(Bool(false)) }
        let messages = driver.takeMessages()
        #expect(messages.first?.errorFields?.code == SQLState.protocolViolation)
        #expect(messages.first?.errorFields?.severity == .fatal)
    }

    /// A batch marked last completes the statement at once: no pull that would only return nil.
    @Test func aBatchMarkedLastCompletesWithoutAnotherPull() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        guard case .runSimpleQuery = driver.machine.received(.query("ignored")) else { return #expect(Bool(false)) }
        _ = driver.machine.simpleQueryStarted()
        let stream = RowList(columns: [PGColumn(name: "a", type: .int4)], rows: [[.int4(1)], [.int4(2)]])
        guard case .fetchRows = driver.machine.statementReceived(.rows(stream)) else { return #expect(Bool(false)) }
        var last = PGRowBatch(rows: [[.int4(1)], [.int4(2)]])
        last.isLast = true
        let step = driver.machine.rowsFetched(last)
        guard case .nextStatement = step else { return #expect(Bool(false), "expected the statement to end, got \(step)") }
        #expect(driver.takeMessages().suffix(3).map(\.tag) == [UInt8(ascii: "D"), UInt8(ascii: "D"), UInt8(ascii: "C")])
        #expect(driver.machine.takeStreamsToClose().count == 1)
    }
}

@Suite struct ConnectionStateMachineExtendedCopyTests {
    @Test func copyInThroughTheExtendedProtocol() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let started = await driver.send(
            .parse(Parse(name: "", sql: "COPY t FROM STDIN")), .bind(Bind(portal: "", statement: "")),
            .execute(Execute(portal: "")))
        #expect(started == [.parseComplete, .bindComplete, .copyInResponse(.text(columns: 2))])
        // Sync sent early is ignored during COPY IN; after CopyDone the next Sync answers ReadyForQuery.
        let done = await driver.send(.sync, .copyData(ByteBuffer(string: "5\tfive\n")), .copyDone, .sync)
        #expect(done == [.commandComplete("COPY 1"), .readyForQuery(.idle)])
    }

    @Test func fetchFromACursorUsesTheFetchVerb() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("DECLARE c CURSOR FOR SELECT * FROM forever; FETCH 2 FROM c"))
        #expect(messages.first == .commandComplete("DECLARE CURSOR"))
        #expect(messages[1] == .rowDescription(RowDescription(columns: [PGColumn(name: "n", type: .int8)])))
        #expect(messages.suffix(2) == [.commandComplete("FETCH 2"), .readyForQuery(.idle)])
    }
}

@Suite struct CopyFormatTests {
    @Test func csvQuotesWhatNeedsIt() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("COPY t TO STDOUT (FORMAT CSV)"))
        #expect(messages.first == .copyOutResponse(.text(columns: 2)))
        let lines = messages.compactMap { message -> String? in
            if case .copyData(let data) = message { return String(buffer: data) }
            return nil
        }
        #expect(lines == ["1,one\n", "2,two\n", "3,\n", "4,\"a,\"\"b\"\n"])
    }

    @Test func binaryHasHeaderTuplesAndTrailer() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        let messages = await driver.send(.query("COPY t TO STDOUT (FORMAT BINARY)"))
        #expect(messages.first == .copyOutResponse(CopyResponse(format: .binary, columnFormats: [.binary, .binary])))
        let chunks = messages.compactMap { message -> [UInt8]? in
            if case .copyData(let data) = message { return Array(data.readableBytesView) }
            return nil
        }
        let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
        let tuple1: [UInt8] = [0, 2] + [0, 0, 0, 4, 0, 0, 0, 1] + [0, 0, 0, 3] + Array("one".utf8)
        let tuple3: [UInt8] = [0, 2] + [0, 0, 0, 4, 0, 0, 0, 3] + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(chunks.count == 4)
        #expect(chunks.first == header + tuple1)
        #expect(chunks[2] == tuple3)
        #expect(chunks.last == [0xFF, 0xFF])
        #expect(messages.suffix(3) == [.copyDone, .commandComplete("COPY 3"), .readyForQuery(.idle)])
    }

}
