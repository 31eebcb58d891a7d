import NIOCore

/// 'P': create a prepared statement (empty name = the unnamed statement). Parameter type OIDs may be 0
/// (unspecified: the server infers them). PostgreSQL protocol docs, "Parse (F)".
public struct Parse: Sendable, Hashable {
    public var name: String
    public var sql: String
    public var parameterTypes: [UInt32]

    public init(name: String, sql: String, parameterTypes: [UInt32] = []) {
        self.name = name
        self.sql = sql
        self.parameterTypes = parameterTypes
    }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Parse {
        let name = try buffer.readCString()
        let sql = try buffer.readCString()
        let count: Int16 = try buffer.readPGInt()
        guard count >= 0, Int(count) * 4 <= buffer.readableBytes else {
            throw PGError.protocolViolation("Parse parameter count \(count) exceeds the message")
        }
        var types: [UInt32] = []
        for _ in 0..<count { types.append(try buffer.readPGInt()) }
        try buffer.expectFullyRead("Parse")
        return Parse(name: name, sql: sql, parameterTypes: types)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeCString(name)
        buffer.writeCString(sql)
        buffer.writeInteger(Int16(parameterTypes.count))
        for type in parameterTypes { buffer.writeInteger(type) }
    }
}
