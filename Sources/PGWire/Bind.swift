import NIOCore

/// 'B': bind parameter values to a prepared statement, creating a portal. PostgreSQL protocol docs,
/// "Bind (F)". Format lists follow the "none = text, one = all, else one each" rule (`PGFormat.expand`).
public struct Bind: Sendable, Hashable {
    public var portal: String
    public var statement: String
    public var parameterFormats: [Int16]
    /// Raw parameter values; nil is SQL NULL.
    public var parameters: [ByteBuffer?]
    public var resultFormats: [Int16]

    public init(
        portal: String, statement: String, parameterFormats: [Int16] = [], parameters: [ByteBuffer?] = [],
        resultFormats: [Int16] = []
    ) {
        self.portal = portal
        self.statement = statement
        self.parameterFormats = parameterFormats
        self.parameters = parameters
        self.resultFormats = resultFormats
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Bind {
        let portal = try buffer.readCString()
        let statement = try buffer.readCString()
        let parameterFormats = try buffer.readPGInt16Array()
        let count: Int16 = try buffer.readPGInt()
        guard count >= 0, Int(count) * 4 <= buffer.readableBytes else {
            throw PGError.protocolViolation("Bind parameter count \(count) exceeds the message")
        }
        var parameters: [ByteBuffer?] = []
        for _ in 0..<count { parameters.append(try buffer.readPGNullableBytes()) }
        let resultFormats = try buffer.readPGInt16Array()
        try buffer.expectFullyRead("Bind")
        return Bind(
            portal: portal, statement: statement, parameterFormats: parameterFormats, parameters: parameters,
            resultFormats: resultFormats)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCString(portal)
        buffer.writeCString(statement)
        buffer.writePGInt16Array(parameterFormats)
        buffer.writeInteger(Int16(parameters.count))
        for parameter in parameters { buffer.writePGNullableBytes(parameter) }
        buffer.writePGInt16Array(resultFormats)
    }
}
