import NIOCore

/// The field list shared by `ErrorResponse` ('E') and `NoticeResponse` ('N'): a sequence of
/// (one-byte code, String) pairs ended by a zero byte. PostgreSQL protocol docs, "Error and Notice
/// Message Fields". Fields are kept in wire order so golden bytes are stable.
public struct ErrorNoticeFields: Sendable, Hashable {
    public var fields: [(code: UInt8, value: String)]

    public init(fields: [(code: UInt8, value: String)]) { self.fields = fields }

    public init(_ error: PGError) {
        var fields: [(UInt8, String)] = [
            (UInt8(ascii: "S"), error.severity.rawValue), (UInt8(ascii: "V"), error.severity.rawValue),
            (UInt8(ascii: "C"), error.code), (UInt8(ascii: "M"), error.message),
        ]
        if let detail = error.detail { fields.append((UInt8(ascii: "D"), detail)) }
        if let hint = error.hint { fields.append((UInt8(ascii: "H"), hint)) }
        if let position = error.position { fields.append((UInt8(ascii: "P"), String(position))) }
        for (code, value) in error.otherFields.sorted(by: { $0.key < $1.key }) { fields.append((code, value)) }
        self.fields = fields
    }

    public func value(_ code: Character) -> String? {
        guard let ascii = code.asciiValue else { return nil }
        return fields.first { $0.code == ascii }?.value
    }

    /// Rebuilds a `PGError` (used by tests and by a client decoding a backend's response).
    public var error: PGError {
        let severity = PGError.Severity(rawValue: value("V") ?? value("S") ?? "ERROR") ?? .error
        var error = PGError(value("C") ?? "", value("M") ?? "", severity: severity)
        error.detail = value("D")
        error.hint = value("H")
        error.position = value("P").flatMap { Int($0) }
        let known: Set<UInt8> = Set("SVCMDHP".utf8)
        for (code, value) in fields where !known.contains(code) { error.otherFields[code] = value }
        return error
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> ErrorNoticeFields {
        var fields: [(UInt8, String)] = []
        while true {
            let code: UInt8 = try buffer.readPGInt()
            if code == 0 { break }
            fields.append((code, try buffer.readCString()))
        }
        return ErrorNoticeFields(fields: fields)
    }

    public func encode(into buffer: inout ByteBuffer) {
        for (code, value) in fields {
            buffer.writeInteger(code)
            buffer.writeCString(value)
        }
        buffer.writeInteger(UInt8(0))
    }

    public static func == (lhs: ErrorNoticeFields, rhs: ErrorNoticeFields) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.code == $1.code && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (code, value) in fields {
            hasher.combine(code)
            hasher.combine(value)
        }
    }
}
