import NIOCore

/// COPY's text format: one line per row, columns separated by tabs, NULL as `\N`, and backslash, tab,
/// newline and carriage return escaped. PostgreSQL docs, "COPY", section "Text Format".
enum CopyText {
    /// Writes one CopyData frame holding `cells` as a text-format line.
    static func encodeCopyDataRow(_ cells: ArraySlice<PGCell>, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "d"))
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        var first = true
        for cell in cells {
            if !first { buffer.writeInteger(UInt8(ascii: "\t")) }
            first = false
            guard let text = cell.textValue else {
                buffer.writeStaticString("\\N")
                continue
            }
            writeEscaped(text, into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    private static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
