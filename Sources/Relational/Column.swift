/// One column of a `Schema`: its name (case-sensitive; the parser upper-cases unquoted names), SQL type,
/// and where its value lives in a Kafka record.
public struct Column: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where a column's value is stored or comes from.
    public enum Role: String, Sendable, Hashable, Codable {
        /// In the record key (`KEY` on a stream, `PRIMARY KEY` on a table).
        case key
        /// In the record value: the ordinary case.
        case value
        /// From the record headers (`HEADERS` or `HEADER('k')`).
        case header
        /// Computed by the system: ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND.
        case pseudo
    }

    public var name: String
    public var type: DataType
    public var role: Role
    /// For a `HEADER('k')` column, the header key; nil for `HEADERS` (all headers) and other roles.
    public var headerKey: String?

    public init(_ name: String, _ type: DataType, role: Role = .value, headerKey: String? = nil) {
        self.name = name
        self.type = type
        self.role = role
        self.headerKey = headerKey
    }

    public var description: String {
        switch role {
        case .key: "`\(name)` \(type) KEY"
        case .value: "`\(name)` \(type)"
        case .header: headerKey.map { "`\(name)` \(type) HEADER('\($0)')" } ?? "`\(name)` \(type) HEADERS"
        case .pseudo: "`\(name)` \(type) PSEUDO"
        }
    }
}
