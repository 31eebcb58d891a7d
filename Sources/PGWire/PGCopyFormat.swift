/// The data format of a COPY TO STDOUT / FROM STDIN. PostgreSQL docs, "COPY", sections "File Formats":
/// text (tab-separated, `\N` for NULL, backslash escapes), csv (comma-separated, empty for NULL, quoted
/// as needed), binary (`PGCOPY` header, per-tuple field count and length-prefixed binary values, -1
/// trailer). CopyInResponse/CopyOutResponse report text and csv as format 0 and binary as 1.
public enum PGCopyFormat: Sendable, Hashable {
    case text
    case csv
    case binary

    var wireFormat: PGFormat { self == .binary ? .binary : .text }

    func response(columns: Int) -> CopyResponse {
        CopyResponse(format: wireFormat, columnFormats: Array(repeating: wireFormat, count: columns))
    }
}
