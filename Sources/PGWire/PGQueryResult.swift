/// What one statement produced. PGWire turns it into messages:
/// - `command`: CommandComplete with the tag (`CREATE STREAM`, `INSERT 0 1`, `DECLARE CURSOR`, `SET`).
/// - `rows`: RowDescription (simple query), DataRow batches, CommandComplete `"<verb> <count>"` —
///   `verb` is `SELECT`, or `FETCH` for a cursor's FETCH, so DECLARE/FETCH layer on it.
/// - `copyOut`: CopyOutResponse, one CopyData per row in the COPY format (binary adds the header to the
///   first and the trailer to the last), CopyDone, CommandComplete `COPY <n>` — so
///   `COPY (SELECT … EMIT CHANGES) TO STDOUT` streams live rows to psql.
/// - `copyIn`: CopyInResponse, then the client's CopyData goes to the sink, as raw bytes of the format,
///   until CopyDone/CopyFail (in text format a line `\.` may end the data; the sink parses).
/// - `emptyQuery`: EmptyQueryResponse (an empty query string).
/// - `notice`: a NoticeResponse before the next statement's result (simple query only).
public enum PGQueryResult: Sendable {
    case command(tag: String)
    case rows(any PGRowStream, verb: String)
    case copyOut(any PGRowStream, format: PGCopyFormat)
    case copyIn(any PGCopyInSink, columnCount: Int, format: PGCopyFormat)
    case emptyQuery
    case notice(PGError)

    /// A SELECT-like result.
    public static func rows(_ stream: any PGRowStream) -> PGQueryResult { .rows(stream, verb: "SELECT") }

    /// A text-format COPY TO STDOUT.
    public static func copyOut(_ stream: any PGRowStream) -> PGQueryResult { .copyOut(stream, format: .text) }

    /// A text-format COPY FROM STDIN.
    public static func copyIn(_ sink: any PGCopyInSink, columnCount: Int) -> PGQueryResult {
        .copyIn(sink, columnCount: columnCount, format: .text)
    }
}
