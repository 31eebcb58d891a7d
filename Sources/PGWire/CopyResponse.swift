import NIOCore

/// The body shared by CopyInResponse ('G'), CopyOutResponse ('H') and CopyBothResponse ('W'): Int8 overall
/// format, Int16 column count, Int16 format per column. PostgreSQL protocol docs, "CopyInResponse (B)",
/// "CopyOutResponse (B)".
public struct CopyResponse: Sendable, Hashable {
    public var format: PGFormat
    public var columnFormats: [PGFormat]

    public init(format: PGFormat, columnFormats: [PGFormat]) {
        self.format = format
        self.columnFormats = columnFormats
    }

    /// Text COPY of `columns` columns (every column format must be text when the overall format is).
    public static func text(columns: Int) -> CopyResponse {
        CopyResponse(format: .text, columnFormats: Array(repeating: .text, count: columns))
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> CopyResponse {
        let overall: Int8 = try buffer.readPGInt()
        let codes = try buffer.readPGInt16Array()
        try buffer.expectFullyRead("CopyResponse")
        let format = try PGFormat.expand([Int16(overall)], count: 1)[0]
        return CopyResponse(format: format, columnFormats: try PGFormat.expand(codes, count: codes.count))
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int8(format.rawValue))
        buffer.writePGInt16Array(columnFormats.map(\.rawValue))
    }
}
