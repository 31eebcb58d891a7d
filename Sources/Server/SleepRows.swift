import PGWire
import SQLSyntax

/// `SELECT pg_sleep(seconds)`: PostgreSQL's way to hold a statement open, which drivers' and users' cancel tests
/// rely on. It waits off the event loop (the connection's other work and every other session go on), in short
/// slices so that a CancelRequest ends it with 57014 within one slice, and a disconnect (close) ends it too. The
/// result is PostgreSQL's: one row with one `void` column, empty.
final class SleepRows: PGRowStream, @unchecked Sendable {
    // @unchecked: PGWire pulls from one task at a time; `cancelled` and `closed` are atomic.
    static let slice: Duration = .milliseconds(20)

    let columns: [PGColumn]
    private let until: ContinuousClock.Instant
    private let cancelled: CancelFlag
    private let closed = CancelFlag()
    private var done = false

    /// A sleep of `seconds` (nil, a NULL argument, returns at once, as in PostgreSQL), answering in `column`.
    init(_ sleep: Sleep, cancelled: CancelFlag) {
        columns = [sleep.column]
        // Negative, zero and NaN return at once, as in PostgreSQL; a day is far beyond any client's patience.
        let seconds = sleep.seconds ?? 0
        let bounded = seconds.isNaN ? 0 : min(max(seconds, 0), 86_400)
        until = .now + .milliseconds(Int64((bounded * 1000).rounded(.up)))
        self.cancelled = cancelled
    }

    /// `SELECT pg_sleep(x) [AS name]`, read from a statement's text.
    struct Sleep {
        /// The argument: a number, a NULL, or (in a statement being prepared) a `$n` parameter.
        let argument: Expr
        let column: PGColumn
        /// The length, once the argument is a value (a bound parameter arrives as a literal: a number, or a quoted
        /// number when the client sent it as text); nil for NULL.
        var seconds: Double? { SleepRows.number(argument) }
    }

    /// The sleep `text` asks for: exactly `SELECT pg_sleep(x) [AS name]` with an optional `;`, x a number, NULL or
    /// `$n`, or one of those cast (`$1::float8`). Anything else (a WHERE, a second column) is not one.
    static func sleep(in text: String) -> Sleep? {
        guard mentionsSleep(text),
            let statement = try? Parser.parseStatement(text), case .query(let query) = statement.kind,
            SessionStatements.isConstantSelect(query), query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
            case .select(let select) = query.body, !select.distinct, select.whereClause == nil, select.having == nil,
            select.groupBy.isEmpty, select.items.count == 1,
            case .expression(let expr, let alias) = select.items[0], case .function(let call) = expr.kind,
            call.name.value.uppercased() == "PG_SLEEP", call.arguments.count == 1, !call.distinct, !call.star
        else { return nil }
        var argument = call.arguments[0]
        // Numeric casts only (`$1::float8`, `1::int`): pg_sleep('1'::text) is not a sleep PostgreSQL would run.
        while case .cast(let operand, let type) = argument.kind, Self.isNumeric(type) { argument = operand }
        switch argument.kind {
        case .parameter, .literal(.null): break
        default: guard number(argument) != nil else { return nil }
        }
        let name = alias.map { PGValueMapping.postgresName($0.value) } ?? "pg_sleep"
        return Sleep(argument: argument, column: PGColumn(name: name, type: .void))
    }

    private static func isNumeric(_ type: TypeName) -> Bool {
        switch type.kind {
        case .int, .bigint, .double, .decimal: true
        case .named(let name): ["INT2", "INT4", "INT8", "SMALLINT", "FLOAT", "FLOAT4", "FLOAT8", "REAL"].contains(name.value)
        default: false
        }
    }

    /// Whether "pg_sleep" occurs in `text`, in any case: the cheap test before parsing.
    private static func mentionsSleep(_ text: String) -> Bool {
        let needle = Array("pg_sleep".utf8)
        var matched = 0
        for byte in text.utf8 {
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            matched = lower == needle[matched] ? matched + 1 : (lower == needle[0] ? 1 : 0)
            if matched == needle.count { return true }
        }
        return false
    }

    fileprivate static func number(_ expr: Expr) -> Double? {
        switch expr.kind {
        case .literal(.integer(let text)), .literal(.decimal(let text)), .literal(.double(let text)): Double(text)
        case .literal(.string(let text)):  // surrounding blanks only: '1 5' is not 15
            text.split(whereSeparator: \.isWhitespace).count == 1 ? Double(text.filter { !$0.isWhitespace }) : nil
        case .unary(.minus, let operand): number(operand).map { -$0 }
        case .unary(.plus, let operand): number(operand)
        case .cast(let operand, _): number(operand)
        default: nil
        }
    }

    func next(maxRows: Int) async throws -> PGRowBatch? {
        while !done {
            if cancelled.isSet { throw PGError.queryCanceled }
            if closed.isSet { return nil }
            let left = until - .now
            if left <= .zero {
                done = true
                return PGRowBatch(rows: [[.catalog(.void, "")]])
            }
            try await Task.sleep(for: min(left, Self.slice))
        }
        return nil
    }

    func nextImmediately(maxRows: Int) throws -> PGImmediate<PGRowBatch?> {
        if done { return .ready(nil) }
        return .wouldBlock  // the async path sleeps, checks for a cancel and returns the row
    }

    func close() { closed.set() }
}
