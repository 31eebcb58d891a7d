import NIOCore

// MARK: - Decoding parameter values (Bind) from text and binary formats

extension PGCell {
    static func invalid(_ text: String, _ type: String) -> PGError {
        PGError(SQLState.invalidTextRepresentation, "invalid input syntax for type \(type): \"\(text)\"")
    }

    /// Parses text format the way PostgreSQL's input functions accept it (the common forms).
    public static func parseText(_ text: String, typeOID: UInt32) throws(PGError) -> PGCell {
        switch typeOID {
        case PGType.bool.oid: return try parseBool(text)
        case PGType.int2.oid: return .int2(try parseInteger(text, "smallint"))
        case PGType.int4.oid: return .int4(try parseInteger(text, "integer"))
        case PGType.int8.oid: return .int8(try parseInteger(text, "bigint"))
        case PGType.float4.oid: return .float4(Float(try parseDouble(text, "real")))
        case PGType.float8.oid: return .float8(try parseDouble(text, "double precision"))
        case PGType.numeric.oid:
            guard PGNumeric.parse(text) != nil || text == "NaN" else { throw invalid(text, "numeric") }
            return .numeric(text)
        case PGType.json.oid: return .json(text)
        case PGType.jsonb.oid: return .jsonb(text)
        case PGType.bytea.oid: return .bytea(try parseHexBytea(text))
        case PGType.date.oid: return .date(Int32(try PGDateTime.parseDate(text)))
        case PGType.time.oid: return .time(try PGDateTime.parseTime(text))
        case PGType.timestamp.oid: return .timestamp(try PGDateTime.parseTimestamp(text))
        case PGType.timestamptz.oid: return .timestamptz(try PGDateTime.parseTimestamp(text))
        default: return .text(text)
        }
    }

    private static func parseBool(_ text: String) throws(PGError) -> PGCell {
        switch text.lowercased() {
        case "t", "true", "yes", "y", "on", "1": return .bool(true)
        case "f", "false", "no", "n", "off", "0": return .bool(false)
        default: throw invalid(text, "boolean")
        }
    }

    private static func parseInteger<T: FixedWidthInteger>(_ text: String, _ name: String) throws(PGError) -> T {
        guard let value = T(text.trimmingWhitespace()) else { throw invalid(text, name) }
        return value
    }

    private static func parseDouble(_ text: String, _ name: String) throws(PGError) -> Double {
        switch text.lowercased() {
        case "nan": return .nan
        case "infinity", "inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default:
            guard let value = Double(text.trimmingWhitespace()) else { throw invalid(text, name) }
            return value
        }
    }

    private static func parseHexBytea(_ text: String) throws(PGError) -> [UInt8] {
        guard text.hasPrefix("\\x") else { return Array(text.utf8) }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { throw invalid(text, "bytea") }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw invalid(text, "bytea")
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }

    /// Decodes binary format (each type's `*recv` layout).
    public static func decodeBinary(_ bytes: inout ByteBuffer, typeOID: UInt32) throws(PGError) -> PGCell {
        let cell = try decodeBinaryValue(&bytes, typeOID: typeOID)
        guard bytes.readableBytes == 0 else {
            throw PGError(SQLState.invalidTextRepresentation, "incorrect binary data format in bind parameter")
        }
        return cell
    }

    private static func decodeBinaryValue(_ bytes: inout ByteBuffer, typeOID: UInt32) throws(PGError) -> PGCell {
        switch typeOID {
        case PGType.bool.oid: return .bool(try bytes.readPGInt(UInt8.self) != 0)
        case PGType.int2.oid: return .int2(try bytes.readPGInt())
        case PGType.int4.oid: return .int4(try bytes.readPGInt())
        case PGType.int8.oid: return .int8(try bytes.readPGInt())
        case PGType.float4.oid: return .float4(Float(bitPattern: try bytes.readPGInt()))
        case PGType.float8.oid: return .float8(Double(bitPattern: try bytes.readPGInt()))
        case PGType.date.oid: return .date(try bytes.readPGInt())
        case PGType.time.oid: return .time(try bytes.readPGInt())
        case PGType.timestamp.oid: return .timestamp(try bytes.readPGInt())
        case PGType.timestamptz.oid: return .timestamptz(try bytes.readPGInt())
        case PGType.bytea.oid: return .bytea(bytes.readBytes(length: bytes.readableBytes) ?? [])
        case PGType.jsonb.oid:
            _ = try bytes.readPGInt(UInt8.self)
            return .jsonb(bytes.readString(length: bytes.readableBytes) ?? "")
        case PGType.json.oid: return .json(bytes.readString(length: bytes.readableBytes) ?? "")
        case PGType.oid.oid: return .catalog(.oid, String(try bytes.readPGInt(UInt32.self)))
        default:
            if typeOID != 0, let element = PGType.builtins.first(where: { $0.arrayOID == typeOID }) {
                return try decodeBinaryArray(&bytes, element: element)
            }
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
    }

    /// A one-dimensional array in PostgreSQL's binary format (array_send): the number of dimensions, a has-nulls
    /// flag, the element type; per dimension its length and lower bound; then each element as a length (-1 for
    /// NULL) and its bytes. asyncpg sends its type-introspection query's `$1::oid[]` so.
    private static func decodeBinaryArray(_ bytes: inout ByteBuffer, element: PGType) throws(PGError) -> PGCell {
        let dimensions: Int32 = try bytes.readPGInt()
        _ = try bytes.readPGInt(Int32.self)  // whether there are NULLs: the element lengths say it too
        let elementOID: UInt32 = try bytes.readPGInt()
        guard elementOID == element.oid else {
            throw PGError(
                SQLState.invalidBinaryRepresentation, "array elements of type \(elementOID) in a \(element.name)[]")
        }
        if dimensions == 0 { return .array(element: element, []) }
        guard dimensions == 1 else {
            throw PGError(
                SQLState.featureNotSupported, "array parameters of \(dimensions) dimensions are not supported")
        }
        let count: Int32 = try bytes.readPGInt()
        _ = try bytes.readPGInt(Int32.self)  // lower bound
        guard count >= 0, Int(count) <= bytes.readableBytes / 4 else {  // each element has at least its length
            throw PGError(
                SQLState.invalidBinaryRepresentation, "array of \(count) elements in \(bytes.readableBytes) bytes")
        }
        var cells: [PGCell] = []
        cells.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length: Int32 = try bytes.readPGInt()
            if length < 0 {
                cells.append(.null)
                continue
            }
            var value = try bytes.readPGSlice(length: Int(length))
            cells.append(try decodeBinary(&value, typeOID: element.oid))
        }
        return .array(element: element, cells)
    }
}

extension String {
    /// Without leading and trailing white space as C's isspace() knows it (space, \t, \n, \v, \f, \r), which
    /// PostgreSQL's integer and float input skips. Found byte by byte (each is one UTF-8 byte, so the bounds are
    /// character boundaries): every numeric text parameter of a Bind passes here.
    func trimmingWhitespace() -> Substring {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return self[start..<end]
    }
}
