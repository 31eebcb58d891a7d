import NIOCore

/// 'Q': a simple-protocol query string that may hold several statements. PostgreSQL protocol docs,
/// "Query (F)" and "Simple Query".
public struct Query: Sendable, Hashable {
    public var sql: String
    public init(sql: String) { self.sql = sql }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> Query {
        let query = Query(sql: try buffer.readCString())
        try buffer.expectFullyRead("Query")
        return query
    }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeCString(sql) }
}
