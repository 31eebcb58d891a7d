/// What one statement produced. PGWire turns it into messages:
/// - `command`: CommandComplete with the tag (`CREATE STREAM`, `INSERT 0 1`, `DECLARE CURSOR`, `SET`).
/// - `rows`: RowDescription (simple query), DataRow batches, CommandComplete `"<verb> <count>"` —
///   `verb` is `SELECT`, or `FETCH` for a cursor's FETCH, so DECLARE/FETCH layer on it.
/// - `copyOut`: CopyOutResponse (text), one CopyData line per row, CopyDone, CommandComplete `COPY <n>` —
///   so `COPY (SELECT … EMIT CHANGES) TO STDOUT` streams live rows to psql.
/// - `copyIn`: CopyInResponse, then the client's CopyData goes to the sink until CopyDone/CopyFail.
/// - `emptyQuery`: EmptyQueryResponse (an empty query string).
/// - `notice`: a NoticeResponse before the next statement's result (simple query only).
public enum PGQueryResult: Sendable {
    case command(tag: String)
    case rows(any PGRowStream, verb: String)
    case copyOut(any PGRowStream)
    case copyIn(any PGCopyInSink, columnCount: Int)
    case emptyQuery
    case notice(PGError)

    /// A SELECT-like result.
    public static func rows(_ stream: any PGRowStream) -> PGQueryResult { .rows(stream, verb: "SELECT") }
}
