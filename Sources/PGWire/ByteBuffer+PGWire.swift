import NIOCore

// MARK: - Primitive field codecs
// PostgreSQL protocol docs, "Message Data Types": Int8/16/32 are big-endian; String is NUL-terminated;
// Byte(n) is raw. Every reader throws `PGError.protocolViolation` instead of trapping on short input.

extension ByteBuffer {
    /// Reads a NUL-terminated UTF-8 string (the protocol's `String` type).
    mutating func readCString() throws(PGError) -> String {
        guard let nul = readableBytesView.firstIndex(of: 0) else {
            throw PGError.protocolViolation("string is not NUL-terminated")
        }
        let length = nul - readerIndex
        let string = readString(length: length) ?? ""
        moveReaderIndex(forwardBy: 1)
        return string
    }

    /// Writes `string` followed by a NUL byte.
    mutating func writeCString(_ string: String) {
        writeString(string)
        writeInteger(UInt8(0))
    }

    mutating func readPGInt<T: FixedWidthInteger>(_: T.Type = T.self) throws(PGError) -> T {
        guard let value = readInteger(as: T.self) else {
            throw PGError.protocolViolation("message is shorter than its fields")
        }
        return value
    }

    mutating func readPGSlice(length: Int) throws(PGError) -> ByteBuffer {
        guard length >= 0, let slice = readSlice(length: length) else {
            throw PGError.protocolViolation("field length \(length) exceeds the message")
        }
        return slice
    }

    /// Reads an Int32 length followed by that many bytes; -1 means NULL (DataRow, Bind parameter values).
    mutating func readPGNullableBytes() throws(PGError) -> ByteBuffer? {
        let length: Int32 = try readPGInt()
        if length == -1 { return nil }
        guard length >= 0 else { throw PGError.protocolViolation("negative field length \(length)") }
        return try readPGSlice(length: Int(length))
    }

    mutating func writePGNullableBytes(_ bytes: ByteBuffer?) {
        guard var bytes else {
            writeInteger(Int32(-1))
            return
        }
        writeInteger(Int32(bytes.readableBytes))
        writeBuffer(&bytes)
    }

    /// Reads an Int16 count followed by that many Int16 values (format-code and similar lists).
    mutating func readPGInt16Array() throws(PGError) -> [Int16] {
        let count: Int16 = try readPGInt()
        guard count >= 0, Int(count) * 2 <= readableBytes else {
            throw PGError.protocolViolation("array count \(count) exceeds the message")
        }
        if count == 1 {  // a Bind's one format code for all (libpq sends [0]): shared lists, no allocation
            let code: Int16 = try readPGInt()
            if code == 0 { return Self.textFormatList }
            if code == 1 { return Self.binaryFormatList }
            return [code]
        }
        var values: [Int16] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count { values.append(try readPGInt()) }
        return values
    }

    private static let textFormatList: [Int16] = [0]
    private static let binaryFormatList: [Int16] = [1]

    mutating func writePGInt16Array(_ values: [Int16]) {
        writeInteger(Int16(values.count))
        for value in values { writeInteger(value) }
    }

    /// Throws unless the body was consumed exactly: trailing bytes mean a malformed message.
    func expectFullyRead(_ message: String) throws(PGError) {
        guard readableBytes == 0 else {
            throw PGError.protocolViolation("\(message) message has \(readableBytes) unexpected trailing bytes")
        }
    }
}
