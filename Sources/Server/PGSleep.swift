import PGWire
import SQLSyntax

/// `SELECT pg_sleep(seconds)`: PostgreSQL's way to hold a statement open, which drivers' and users' cancel tests
/// rely on. It waits off the event loop (the connection's other work and every other session go on), in short
/// slices so that a CancelRequest ends it with 57014 within one slice, and a disconnect (close) ends it too. The
/// result is PostgreSQL's: one row with one `void` column, empty.
final class SleepRows: PGRowStream, @unchecked Sendable {
    // @unchecked: PGWire pulls from one task at a time; `cancelled` and `closed` are atomic.
    static let void = PGType(oid: 2278, name: "void", size: 4)
    static let slice: Duration = .milliseconds(20)
    static let resultColumns = [PGColumn(name: "pg_sleep", type: void)]

    let columns: [PGColumn]
    private let until: ContinuousClock.Instant
    private let cancelled: CancelFlag
    private let closed = CancelFlag()
    private var done = false

    init(seconds: Double, cancelled: CancelFlag) {
        columns = Self.resultColumns
        // Negative, zero and NaN return at once, as in PostgreSQL; a day is far beyond any client's patience.
        let bounded = seconds.isNaN ? 0 : min(max(seconds, 0), 86_400)
        until = .now + .milliseconds(Int64((bounded * 1000).rounded(.up)))
        self.cancelled = cancelled
    }

    /// Whether `text` is `SELECT pg_sleep(x)` (any case, an optional `;`), with x a number or a `$n` parameter.
    static func isSleep(_ text: String) -> Bool { argument(in: text) != nil }

    /// The sleep's length when `text` is `SELECT pg_sleep(<number>)`, else nil. A bound parameter arrives here
    /// as a literal: a number, or a quoted number when the client sent it as text.
    static func seconds(in text: String) -> Double? { argument(in: text).flatMap(number) }

    private static func argument(in text: String) -> Expr? {
        guard mentionsSleep(text),
            let statement = try? Parser.parseStatement(text), case .query(let query) = statement.kind,
            SessionStatements.isConstantSelect(query), case .select(let select) = query.body, select.items.count == 1,
            case .expression(let expr, _) = select.items[0], case .function(let call) = expr.kind,
            call.name.value.uppercased() == "PG_SLEEP", call.arguments.count == 1, !call.distinct, !call.star
        else { return nil }
        switch call.arguments[0].kind {
        case .parameter: return call.arguments[0]
        default: return number(call.arguments[0]) == nil ? nil : call.arguments[0]
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

    private static func number(_ expr: Expr) -> Double? {
        switch expr.kind {
        case .literal(.integer(let text)), .literal(.decimal(let text)), .literal(.double(let text)): Double(text)
        case .literal(.string(let text)): Double(text.filter { !$0.isWhitespace })
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
                return PGRowBatch(rows: [[.catalog(Self.void, "")]])
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
