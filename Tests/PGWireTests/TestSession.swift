import NIOCore
import PGWire
import SluiceCore

/// A test-only `PGSession` over a few canned tables, enough to exercise every protocol path:
/// `SELECT 1`, `SELECT * FROM t` (3 rows), `SELECT * FROM numbers` (10 rows), `SELECT * FROM forever`
/// (endless until cancelled), `COPY t TO STDOUT`, `COPY t FROM STDIN`, `BEGIN`/`COMMIT`, and 42601 with a
/// position for anything else. Statements split on ';'.
///
/// With `immediate`, Parse, Bind, Execute (except of `forever`) and pulls from finite row lists also answer on the
/// event loop through the `…Immediately` fast paths; a Bind of `SELECT $1` with the parameter -1 fails there.
final class TestSession: PGSession {
    let immediate: Bool
    private let lock = Lock()
    private nonisolated(unsafe) var _status = PGTransactionStatus.idle
    private nonisolated(unsafe) var _cancelled = false
    private nonisolated(unsafe) var _copied: [UInt8] = []
    private nonisolated(unsafe) var _closed = false
    private nonisolated(unsafe) var cursors: [String: EndlessRows] = [:]
    private nonisolated(unsafe) var parameterChanges: [PGSetting] = []

    var transactionStatus: PGTransactionStatus { lock.withLock { _status } }
    var copiedText: String { lock.withLock { String(decoding: _copied, as: UTF8.self) } }
    var isClosed: Bool { lock.withLock { _closed } }
    var isCancelled: Bool { lock.withLock { _cancelled } }

    init(immediate: Bool = false) { self.immediate = immediate }

    func startup(_ info: PGStartupInfo) async throws -> [PGSetting] {
        guard info.database == "sluice" else {
            throw PGError(SQLState.invalidCatalogName, "database \"\(info.database)\" does not exist", severity: .fatal)
        }
        return PGSetting.standardParameters(
            serverVersion: "15.0", serverVersionNumber: "150000",
            applicationName: info.parameters["application_name"] ?? "")
    }

    func simpleQuery(_ sql: String) async throws -> any PGResultIterator {
        let statements = sql.split(separator: ";").map { String($0) }.filter { !$0.allSatisfy(\.isWhitespace) }
        if statements.isEmpty { return ListIterator([{ .emptyQuery }]) }
        return ListIterator(statements.map { statement in { [self] in try self.run(statement, fullSQL: sql) } })
    }

    func prepare(name: String, sql: String, parameterTypes: [UInt32]) async throws -> any PGPreparedStatement {
        try prepareNow(sql: sql, parameterTypes: parameterTypes)
    }

    func prepareImmediately(name: String, sql: String, parameterTypes: [UInt32]) throws -> PGImmediate<any PGPreparedStatement> {
        immediate ? .ready(try prepareNow(sql: sql, parameterTypes: parameterTypes)) : .wouldBlock
    }

    private func prepareNow(sql: String, parameterTypes: [UInt32]) throws -> any PGPreparedStatement {
        let trimmed = sql.trimmed
        if trimmed.hasPrefix("SELECT $1") {
            let type = parameterTypes.first.flatMap { $0 == 0 ? nil : $0 } ?? PGType.int4.oid
            let column = PGColumn(name: "value", type: PGType.named(oid: type) ?? .text)
            return TestStatement(sql: trimmed, parameterTypes: [type], columns: [column])
        }
        if trimmed.uppercased().hasPrefix("SET ") {
            return TestStatement(sql: trimmed, parameterTypes: [], columns: nil)
        }
        let result = try run(trimmed, fullSQL: trimmed)
        var columns: [PGColumn]?
        if case .rows(let stream, _) = result { columns = stream.columns }
        return TestStatement(sql: trimmed, parameterTypes: [], columns: columns)
    }

    func bind(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) async throws -> any PGPortal {
        try bindNow(statement, parameters: parameters)
    }

    func bindImmediately(
        _ statement: any PGPreparedStatement, portalName: String, parameters: [PGBindParameter]
    ) throws -> PGImmediate<any PGPortal> {
        guard immediate else { return .wouldBlock }
        let portal = try bindNow(statement, parameters: parameters)
        if portal.parameters.first == .int4(-1) { throw PGError("22023", "-1 is refused at Bind") }
        return .ready(portal)
    }

    private func bindNow(_ statement: any PGPreparedStatement, parameters: [PGBindParameter]) throws -> TestPortal {
        let statement = statement as! TestStatement
        let cells = try parameters.map { parameter throws(PGError) in try parameter.cell() }
        return TestPortal(session: self, statement: statement, parameters: cells)
    }

    func takeParameterChanges() -> [PGSetting] {
        lock.withLock {
            defer { parameterChanges = [] }
            return parameterChanges
        }
    }

    func cancel() { lock.withLock { _cancelled = true } }
    func close() { lock.withLock { _closed = true } }

    func appendCopied(_ data: ByteBuffer) { lock.withLock { _copied += data.readableBytesView } }
    func setStatus(_ status: PGTransactionStatus) { lock.withLock { _status = status } }
    func checkCancelled() throws {
        try lock.withLock {
            if _cancelled {
                _cancelled = false
                throw PGError.queryCanceled
            }
        }
    }

    // MARK: - The canned "engine"

    /// `DECLARE name CURSOR FOR SELECT * FROM forever` and `FETCH n FROM name`, layered on row streams the
    /// way the engine adapter layers cursors over push queries: FETCH returns at most n rows of the cursor.
    private func cursorStatement(_ sql: String) throws -> PGQueryResult {
        let words = sql.split(separator: " ").map(String.init)
        if words[0].uppercased() == "DECLARE", words.count >= 2 {
            lock.withLock { cursors[words[1]] = EndlessRows(session: self) }
            return .command(tag: "DECLARE CURSOR")
        }
        guard words.count == 4, let count = Int(words[1]), let cursor = lock.withLock({ cursors[words[3]] }) else {
            throw PGError(SQLState.invalidCursorName, "cursor \"\(words.last ?? "")\" does not exist")
        }
        return .rows(FetchRows(cursor: cursor, limit: count), verb: "FETCH")
    }

    static let tColumns = [PGColumn(name: "id", type: .int4), PGColumn(name: "name", type: .text)]
    static let tRows: [[PGCell]] = [[.int4(1), .text("one")], [.int4(2), .text("two")], [.int4(3), .null]]

    func run(_ statement: String, fullSQL: String) throws -> PGQueryResult {
        let sql = statement.trimmed
        switch sql.uppercased() {
        case "SELECT 1": return .rows(RowList(columns: [PGColumn(name: "?column?", type: .int4)], rows: [[.int4(1)]]))
        case "SELECT * FROM T": return .rows(RowList(columns: Self.tColumns, rows: Self.tRows, immediate: immediate))
        case "SELECT * FROM NUMBERS":
            return .rows(
                RowList(columns: [PGColumn(name: "n", type: .int8)], rows: (1...10).map { [.int8(Int64($0))] }))
        case "SELECT * FROM FOREVER": return .rows(EndlessRows(session: self))
        case "COPY (SELECT * FROM FOREVER) TO STDOUT": return .copyOut(EndlessRows(session: self))
        case let upper where upper.hasPrefix("DECLARE ") || upper.hasPrefix("FETCH "): return try cursorStatement(sql)
        case "COPY T TO STDOUT": return .copyOut(RowList(columns: Self.tColumns, rows: Self.tRows))
        case "COPY T TO STDOUT (FORMAT CSV)":
            return .copyOut(
                RowList(columns: Self.tColumns, rows: Self.tRows + [[.int4(4), .text("a,\"b")]]), format: .csv)
        case "COPY T TO STDOUT (FORMAT BINARY)":
            return .copyOut(RowList(columns: Self.tColumns, rows: Self.tRows), format: .binary)
        case "COPY T FROM STDIN": return .copyIn(CopySink(session: self), columnCount: 2)
        case "BEGIN":
            setStatus(.inTransaction)
            return .command(tag: "BEGIN")
        case "COMMIT":
            setStatus(.idle)
            return .command(tag: "COMMIT")
        case "NOTICE ME": return .notice(PGError(SQLState.warning, "a notice", severity: .notice))
        case "SET APPLICATION_NAME = 'X'":
            lock.withLock { parameterChanges.append(PGSetting("application_name", "x")) }
            return .command(tag: "SET")
        default:
            let start = fullSQL.firstRange(of: sql).map {
                fullSQL.distance(from: fullSQL.startIndex, to: $0.lowerBound)
            }
            let token = sql.split(separator: " ").first ?? ""
            throw PGError(
                SQLState.syntaxError, "syntax error at or near \"\(token)\"", position: (start ?? 0) + 1)
        }
    }
}

final class ListIterator: PGResultIterator {
    private let lock = Lock()
    private nonisolated(unsafe) var pending: [@Sendable () throws -> PGQueryResult]

    init(_ results: [@Sendable () throws -> PGQueryResult]) { pending = results }

    func next() async throws -> PGQueryResult? {
        let next = lock.withLock { pending.isEmpty ? nil : pending.removeFirst() }
        return try next?()
    }
}

final class TestStatement: PGPreparedStatement {
    let sql: String
    let parameterTypes: [UInt32]
    let columns: [PGColumn]?
    init(sql: String, parameterTypes: [UInt32], columns: [PGColumn]?) {
        self.sql = sql
        self.parameterTypes = parameterTypes
        self.columns = columns
    }
}

final class TestPortal: PGPortal {
    let session: TestSession
    let statement: TestStatement
    let parameters: [PGCell]
    var columns: [PGColumn]? { statement.columns }
    init(session: TestSession, statement: TestStatement, parameters: [PGCell]) {
        self.session = session
        self.statement = statement
        self.parameters = parameters
    }

    func execute() async throws -> PGQueryResult { try executeNow() }

    func executeImmediately() throws -> PGImmediate<PGQueryResult> {
        session.immediate && !statement.sql.contains("forever") ? .ready(try executeNow()) : .wouldBlock
    }

    private func executeNow() throws -> PGQueryResult {
        if statement.sql.hasPrefix("SELECT $1"), let columns = statement.columns {
            return .rows(RowList(columns: columns, rows: [parameters], immediate: session.immediate))
        }
        return try session.run(statement.sql, fullSQL: statement.sql)
    }
}

/// A finite stream over fixed rows.
final class RowList: PGRowStream {
    let columns: [PGColumn]
    private let lock = Lock()
    private nonisolated(unsafe) var rows: ArraySlice<[PGCell]>
    private nonisolated(unsafe) var _closed = false
    var isClosed: Bool { lock.withLock { _closed } }

    let immediate: Bool

    init(columns: [PGColumn], rows: [[PGCell]], immediate: Bool = false) {
        self.columns = columns
        self.rows = rows[...]
        self.immediate = immediate
    }

    func next(maxRows: Int) async throws -> PGRowBatch? { take(maxRows) }

    func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?> { immediate ? .ready(take(maxRows)) : .wouldBlock }

    private func take(_ maxRows: Int) -> PGRowBatch? {
        lock.withLock {
            guard !rows.isEmpty else { return nil }
            let taken = rows.prefix(maxRows)
            rows = rows.dropFirst(taken.count)
            var batch = PGRowBatch(columnCount: columns.count)
            for row in taken { batch.append(row: row) }
            return batch
        }
    }

    func close() { lock.withLock { _closed = true } }
}

/// An endless push query: rows 0, 1, 2, … until the session is cancelled.
final class EndlessRows: PGRowStream {
    let columns = [PGColumn(name: "n", type: .int8)]
    let session: TestSession
    private let lock = Lock()
    private nonisolated(unsafe) var counter: Int64 = 0
    init(session: TestSession) { self.session = session }

    func next(maxRows: Int) async throws -> PGRowBatch? {
        try session.checkCancelled()
        try await Task.sleep(for: .milliseconds(1))
        return lock.withLock {
            var batch = PGRowBatch(columnCount: 1)
            for _ in 0..<min(maxRows, 100) {
                batch.append(row: [.int8(counter)])
                counter += 1
            }
            return batch
        }
    }

    func close() {}
}

/// At most `limit` rows of a cursor's stream; closing it leaves the cursor open.
final class FetchRows: PGRowStream {
    let cursor: EndlessRows
    private let lock = Lock()
    private nonisolated(unsafe) var remaining: Int
    var columns: [PGColumn] { cursor.columns }

    init(cursor: EndlessRows, limit: Int) {
        self.cursor = cursor
        remaining = limit
    }

    func next(maxRows: Int) async throws -> PGRowBatch? {
        let wanted = lock.withLock { remaining }
        guard wanted > 0, let batch = try await cursor.next(maxRows: min(maxRows, wanted)) else { return nil }
        lock.withLock { remaining -= batch.rowCount }
        return batch
    }

    func close() {}
}

final class CopySink: PGCopyInSink {
    let session: TestSession
    init(session: TestSession) { self.session = session }
    func receive(_ data: ByteBuffer) async throws { session.appendCopied(data) }
    func finish() async throws -> String {
        // COPY's text format ends at a "\." line (psql sends it); count the data lines before it.
        let lines = session.copiedText.split(separator: "\n").prefix { $0 != "\\." }
        return "COPY \(lines.count)"
    }
    func fail(_ message: String) async {}
}

extension String {
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
