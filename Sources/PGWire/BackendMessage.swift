import NIOCore

/// Every message the server sends, as a value. `encode(into:)` writes the whole frame (Byte1 tag, Int32
/// length counting itself, body); `decode(tag:body:)` reads one back (client side: tests and tools).
/// PostgreSQL protocol docs, "Message Formats".
public enum BackendMessage: Sendable, Hashable {
    /// The single unframed byte 'N' answering SSLRequest or GSSENCRequest ("not supported").
    case encryptionRefused
    case authentication(Authentication)
    case parameterStatus(name: String, value: String)
    case backendKeyData(BackendKeyData)
    case readyForQuery(PGTransactionStatus)
    case rowDescription(RowDescription)
    case dataRow(DataRow)
    /// The command tag, e.g. `SELECT 3`, `INSERT 0 1`, `CREATE TABLE`.
    case commandComplete(String)
    case emptyQueryResponse
    case errorResponse(ErrorNoticeFields)
    case noticeResponse(ErrorNoticeFields)
    case parseComplete
    case bindComplete
    case closeComplete
    case parameterDescription([UInt32])
    case noData
    case portalSuspended
    case copyInResponse(CopyResponse)
    case copyOutResponse(CopyResponse)
    case copyData(ByteBuffer)
    case copyDone
    /// 'v': the newest minor version of protocol 3 the server speaks, and the `_pq_.` options it did not
    /// recognise. Sent after a StartupMessage asking for 3.x with x > 0 or with protocol options.
    case negotiateProtocolVersion(newestMinor: Int32, unrecognizedOptions: [String])

    public static func error(_ error: PGError) -> BackendMessage { .errorResponse(ErrorNoticeFields(error)) }
    public static func notice(_ notice: PGError) -> BackendMessage { .noticeResponse(ErrorNoticeFields(notice)) }

    public var tag: UInt8 {
        switch self {
        case .encryptionRefused: UInt8(ascii: "N")
        case .authentication: UInt8(ascii: "R")
        case .parameterStatus: UInt8(ascii: "S")
        case .backendKeyData: UInt8(ascii: "K")
        case .readyForQuery: UInt8(ascii: "Z")
        case .rowDescription: UInt8(ascii: "T")
        case .dataRow: UInt8(ascii: "D")
        case .commandComplete: UInt8(ascii: "C")
        case .emptyQueryResponse: UInt8(ascii: "I")
        case .errorResponse: UInt8(ascii: "E")
        case .noticeResponse: UInt8(ascii: "N")
        case .parseComplete: UInt8(ascii: "1")
        case .bindComplete: UInt8(ascii: "2")
        case .closeComplete: UInt8(ascii: "3")
        case .parameterDescription: UInt8(ascii: "t")
        case .noData: UInt8(ascii: "n")
        case .portalSuspended: UInt8(ascii: "s")
        case .copyInResponse: UInt8(ascii: "G")
        case .copyOutResponse: UInt8(ascii: "H")
        case .copyData: UInt8(ascii: "d")
        case .copyDone: UInt8(ascii: "c")
        case .negotiateProtocolVersion: UInt8(ascii: "v")
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(tag)
        if case .encryptionRefused = self { return }
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        encodeBody(into: &buffer)
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }

    private func encodeBody(into buffer: inout ByteBuffer) {
        switch self {
        case .authentication(let message): message.encode(into: &buffer)
        case .parameterStatus(let name, let value):
            buffer.writeCString(name)
            buffer.writeCString(value)
        case .backendKeyData(let message): message.encode(into: &buffer)
        case .readyForQuery(let status): buffer.writeInteger(status.rawValue)
        case .rowDescription(let message): message.encode(into: &buffer)
        case .dataRow(let message): message.encode(into: &buffer)
        case .commandComplete(let tag): buffer.writeCString(tag)
        case .errorResponse(let fields), .noticeResponse(let fields): fields.encode(into: &buffer)
        case .parameterDescription(let types):
            buffer.writeInteger(UInt16(truncatingIfNeeded: types.count))  // at most 65535: the session refuses more
            for type in types { buffer.writeInteger(type) }
        case .copyInResponse(let message), .copyOutResponse(let message): message.encode(into: &buffer)
        case .copyData(var data): buffer.writeBuffer(&data)
        case .negotiateProtocolVersion(let minor, let options):
            buffer.writeInteger(minor)
            buffer.writeInteger(Int32(options.count))
            for option in options { buffer.writeCString(option) }
        case .encryptionRefused, .emptyQueryResponse, .parseComplete, .bindComplete, .closeComplete, .noData,
            .portalSuspended, .copyDone:
            break
        }
    }

    public static func decode(tag: UInt8, body: inout ByteBuffer) throws(PGError) -> BackendMessage {
        let message = try decodeBody(tag: tag, body: &body)
        try body.expectFullyRead("backend")
        return message
    }

    private static func decodeBody(tag: UInt8, body: inout ByteBuffer) throws(PGError) -> BackendMessage {
        switch tag {
        case UInt8(ascii: "R"): return .authentication(try Authentication.decode(from: &body))
        case UInt8(ascii: "S"): return .parameterStatus(name: try body.readCString(), value: try body.readCString())
        case UInt8(ascii: "K"): return .backendKeyData(try BackendKeyData.decode(from: &body))
        case UInt8(ascii: "Z"): return .readyForQuery(try decodeStatus(from: &body))
        case UInt8(ascii: "T"): return .rowDescription(try RowDescription.decode(from: &body))
        case UInt8(ascii: "D"): return .dataRow(try DataRow.decode(from: &body))
        case UInt8(ascii: "C"): return .commandComplete(try body.readCString())
        case UInt8(ascii: "E"): return .errorResponse(try ErrorNoticeFields.decode(from: &body))
        case UInt8(ascii: "N"): return .noticeResponse(try ErrorNoticeFields.decode(from: &body))
        case UInt8(ascii: "t"): return .parameterDescription(try decodeOIDs(from: &body))
        case UInt8(ascii: "G"): return .copyInResponse(try CopyResponse.decode(from: &body))
        case UInt8(ascii: "H"): return .copyOutResponse(try CopyResponse.decode(from: &body))
        case UInt8(ascii: "d"): return .copyData(body.readSlice(length: body.readableBytes) ?? ByteBuffer())
        case UInt8(ascii: "v"): return try decodeNegotiation(from: &body)
        default: return try decodeEmpty(tag: tag)
        }
    }

    private static func decodeEmpty(tag: UInt8) throws(PGError) -> BackendMessage {
        switch tag {
        case UInt8(ascii: "I"): .emptyQueryResponse
        case UInt8(ascii: "1"): .parseComplete
        case UInt8(ascii: "2"): .bindComplete
        case UInt8(ascii: "3"): .closeComplete
        case UInt8(ascii: "n"): .noData
        case UInt8(ascii: "s"): .portalSuspended
        case UInt8(ascii: "c"): .copyDone
        default: throw PGError.protocolViolation("invalid backend message type \(tag)")
        }
    }

    private static func decodeStatus(from body: inout ByteBuffer) throws(PGError) -> PGTransactionStatus {
        let byte: UInt8 = try body.readPGInt()
        guard let status = PGTransactionStatus(rawValue: byte) else {
            throw PGError.protocolViolation("invalid transaction status \(byte)")
        }
        return status
    }

    private static func decodeNegotiation(from body: inout ByteBuffer) throws(PGError) -> BackendMessage {
        let minor: Int32 = try body.readPGInt()
        let count: Int32 = try body.readPGInt()
        guard count >= 0, Int(count) <= body.readableBytes else {
            throw PGError.protocolViolation("invalid option count \(count)")
        }
        var options: [String] = []
        for _ in 0..<count { options.append(try body.readCString()) }
        return .negotiateProtocolVersion(newestMinor: minor, unrecognizedOptions: options)
    }

    private static func decodeOIDs(from body: inout ByteBuffer) throws(PGError) -> [UInt32] {
        let count: Int16 = try body.readPGInt()
        guard count >= 0 else { throw PGError.protocolViolation("negative parameter count") }
        var types: [UInt32] = []
        for _ in 0..<count { types.append(try body.readPGInt()) }
        return types
    }
}
