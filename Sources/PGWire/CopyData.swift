import NIOCore

/// Writes COPY TO STDOUT rows as CopyData frames ('d'), one frame per row, in the three COPY formats.
/// PostgreSQL docs, "COPY", "File Formats"; protocol docs, "COPY Operations".
enum CopyData {
    /// The 11-byte binary COPY signature "PGCOPY\n\377\r\n\0".
    static let binarySignature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    static func encodeRow(_ cells: ArraySlice<PGCell>, format: PGCopyFormat, header: Bool, into buffer: inout ByteBuffer) {
        let lengthIndex = beginFrame(into: &buffer)
        switch format {
        case .text: writeTextRow(cells, into: &buffer)
        case .csv: writeCSVRow(cells, into: &buffer)
        case .binary:
            if header { writeBinaryHeader(into: &buffer) }
            buffer.writeInteger(Int16(cells.count))
            for cell in cells { cell.encodeField(format: .binary, into: &buffer) }
        }
        endFrame(at: lengthIndex, in: &buffer)
    }

    /// The binary trailer (Int16 -1), preceded by the header when no row was sent.
    static func encodeBinaryTrailer(header: Bool, into buffer: inout ByteBuffer) {
        let lengthIndex = beginFrame(into: &buffer)
        if header { writeBinaryHeader(into: &buffer) }
        buffer.writeInteger(Int16(-1))
        endFrame(at: lengthIndex, in: &buffer)
    }

    private static func beginFrame(into buffer: inout ByteBuffer) -> Int {
        buffer.writeInteger(UInt8(ascii: "d"))
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        return lengthIndex
    }

    private static func endFrame(at lengthIndex: Int, in buffer: inout ByteBuffer) {
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    /// Signature, Int32 flags (0: no OIDs), Int32 header-extension length (0).
    private static func writeBinaryHeader(into buffer: inout ByteBuffer) {
        buffer.writeBytes(binarySignature)
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int32(0))
    }

    // MARK: - Text: tab-separated, \N for NULL, backslash escapes

    private static func writeTextRow(_ cells: ArraySlice<PGCell>, into buffer: inout ByteBuffer) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            if case .null = cell {
                buffer.writeStaticString("\\N")
                continue
            }
            writeTextEscaped(cell, into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func needsTextEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    /// Writes the value in place and rewrites it escaped only when it holds a byte that needs it (rare),
    /// so a row costs no per-cell allocation.
    private static func writeTextEscaped(_ cell: PGCell, into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        cell.encodeText(into: &buffer)
        guard let written = bytesNeedingEscape(in: buffer, from: start) else { return }
        buffer.moveWriterIndex(to: start)
        for byte in written {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// A copy of the bytes written since `start` if any needs escaping; nil (and no copy) otherwise.
    private static func bytesNeedingEscape(in buffer: ByteBuffer, from start: Int) -> [UInt8]? {
        guard let view = buffer.viewBytes(at: start, length: buffer.writerIndex - start),
            view.contains(where: needsTextEscape)
        else { return nil }
        return Array(view)
    }

    // MARK: - CSV: comma-separated, NULL unquoted empty, quotes where needed

    private static func writeCSVRow(_ cells: ArraySlice<PGCell>, into buffer: inout ByteBuffer) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            guard let text = cell.textValue else { continue }
            writeCSVField(text, into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Quotes an empty string (to tell it from NULL), `\.`, and anything with a comma, quote, CR or LF;
    /// quotes inside are doubled.
    private static func writeCSVField(_ text: String, into buffer: inout ByteBuffer) {
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        guard text.isEmpty || text == "\\." || text.utf8.contains(where: special.contains) else {
            buffer.writeString(text)
            return
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.writeInteger(byte) }
            buffer.writeInteger(byte)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
