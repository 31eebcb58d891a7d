import PGWire

/// `DECLARE name [NO SCROLL] CURSOR [WITH|WITHOUT HOLD] FOR query`, `FETCH [FORWARD] [n|ALL|NEXT] [FROM|IN] name`
/// and `CLOSE name|ALL`, layered on row streams: a cursor over a push query hands out its rows as they arrive, so
/// drivers that buffer whole results (and psql's FETCH_COUNT mode) can read a stream a page at a time.
enum CursorStatement: Equatable {
    case declare(name: String, query: String, queryOffset: Int)
    case fetch(name: String, count: Int?, timeoutMilliseconds: Int?)
    case close(name: String?)

    /// The cursor statement `text` is, if it is one.
    static func parse(_ text: String) throws(PGError) -> CursorStatement? {
        let ranges = text.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map { $0.startIndex..<$0.endIndex }
        let words = ranges.map { String(text[$0]) }
        guard let first = words.first?.uppercased() else { return nil }
        switch first {
        case "DECLARE":
            guard words.count >= 4, let cursorIndex = words.firstIndex(where: { $0.uppercased() == "CURSOR" }),
                let forIndex = words[cursorIndex...].firstIndex(where: { $0.uppercased() == "FOR" }), forIndex + 1 < ranges.count
            else { throw PGError(SQLState.syntaxError, "DECLARE name CURSOR FOR query") }
            // The query is the text after FOR, as typed.
            let position = ranges[forIndex + 1].lowerBound
            return .declare(name: words[1], query: String(text[position...]), queryOffset: text.utf8.distance(from: text.startIndex, to: position))
        case "FETCH", "MOVE":
            var rest = Array(words.dropFirst())
            var count: Int? = 1
            if let word = rest.first?.uppercased(), ["FORWARD", "NEXT", "ALL"].contains(word) || Int(word) != nil {
                rest.removeFirst()
                if word == "ALL" { count = nil } else if let n = Int(word) { count = n }
                if word == "FORWARD", let next = rest.first?.uppercased() {
                    if next == "ALL" { count = nil; rest.removeFirst() } else if let n = Int(next) { count = n; rest.removeFirst() }
                }
            }
            if let word = rest.first?.uppercased(), word == "FROM" || word == "IN" { rest.removeFirst() }
            guard let name = rest.first else { throw PGError(SQLState.syntaxError, "FETCH [n] FROM cursor") }
            // WITH (timeout = '1s' | '500ms' | '0s')
            var timeout: Int?
            let upper = text.uppercased()
            if let range = upper.firstRange(of: "TIMEOUT") {
                let tail = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "'" }
                let digits = tail.prefix { $0.isNumber }
                guard let n = Int(digits) else { throw PGError(SQLState.syntaxError, "FETCH … WITH (timeout = '<n>s' or '<n>ms')") }
                timeout = tail.dropFirst(digits.count).lowercased().hasPrefix("ms") ? n : n * 1000
            }
            return .fetch(name: name, count: count, timeoutMilliseconds: timeout)
        case "CLOSE":
            guard words.count >= 2 else { throw PGError(SQLState.syntaxError, "CLOSE cursor or CLOSE ALL") }
            return .close(name: words[1].uppercased() == "ALL" ? nil : words[1])
        default:
            return nil
        }
    }
}

/// A row stream that can wait for rows with a deadline (a push query's).
protocol TimedRowStream: PGRowStream {
    /// Rows as `next(maxRows:)`, or an empty batch once `timeoutMilliseconds` passes without any.
    func next(maxRows: Int, timeoutMilliseconds: Int) async throws -> PGRowBatch?
}

/// An open cursor: its stream and the rows taken from it but not yet fetched.
final class Cursor: @unchecked Sendable {
    // @unchecked: used by one connection's statements, one at a time.
    let stream: any PGRowStream
    private var leftover: [PGCell] = []

    init(_ stream: any PGRowStream) { self.stream = stream }

    var columnCount: Int { stream.columns.count }

    /// Up to `maxRows` rows: buffered ones first, then the stream's. With `timeoutMilliseconds`, an empty batch when
    /// none arrive in time; nil when the stream has ended and nothing is buffered.
    func take(maxRows: Int, timeoutMilliseconds: Int?) async throws -> PGRowBatch? {
        let width = max(columnCount, 1)
        if leftover.isEmpty {
            let batch: PGRowBatch?
            if let timeoutMilliseconds, let timed = stream as? any TimedRowStream {
                batch = try await timed.next(maxRows: maxRows, timeoutMilliseconds: timeoutMilliseconds)
            } else {
                batch = try await stream.next(maxRows: maxRows)
            }
            guard let batch else { return nil }
            leftover = batch.cells
        }
        let n = min(maxRows, leftover.count / width)
        let cells = Array(leftover.prefix(n * width))
        leftover.removeFirst(n * width)
        return PGRowBatch(columnCount: columnCount, cells: cells)
    }
}

/// What one FETCH returns: up to `limit` rows (all with nil). It waits for the first rows (up to `timeout` ms when
/// given, as Materialize's FETCH … WITH (timeout = …)), then takes only rows already there, so a FETCH on a live
/// stream returns what has arrived instead of blocking for rows that may never come.
final class FetchRows: PGRowStream, @unchecked Sendable {
    // @unchecked: PGWire pulls one batch at a time.
    private let cursor: Cursor
    private var remaining: Int?
    private let timeout: Int?
    private var started = false
    var columns: [PGColumn] { cursor.stream.columns }

    init(cursor: Cursor, limit: Int?, timeoutMilliseconds: Int?) {
        self.cursor = cursor
        remaining = limit
        timeout = timeoutMilliseconds
    }

    func next(maxRows: Int) async throws -> PGRowBatch? {
        if let remaining, remaining <= 0 { return nil }
        let wanted = min(maxRows, remaining ?? maxRows)
        guard let batch = try await cursor.take(maxRows: wanted, timeoutMilliseconds: started ? 0 : timeout), batch.rowCount > 0 else {
            return nil
        }
        started = true
        if remaining != nil { remaining! -= batch.rowCount }
        return batch
    }

    func close() {}
}
