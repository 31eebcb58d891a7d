/// A run-time setting as a name and value (ParameterStatus, `options` -c settings).
public struct PGSetting: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension PGSetting {
    /// The ParameterStatus set that pgjdbc, psycopg2 and asyncpg check at start-up (pgjdbc closes the
    /// connection unless client_encoding is UTF8 and DateStyle starts with ISO; psycopg2 issues an extra SET
    /// without DateStyle). `serverVersion` is what clients parse for feature checks, so choose it
    /// deliberately, e.g. "15.0" with `serverVersionNumber` "150000". A session's `startup` can return these
    /// plus its own (e.g. `sluice_version`).
    public static func standardParameters(
        serverVersion: String, serverVersionNumber: String, applicationName: String = "", timeZone: String = "UTC"
    ) -> [PGSetting] {
        [
            PGSetting("server_version", serverVersion), PGSetting("server_version_num", serverVersionNumber),
            PGSetting("server_encoding", "UTF8"), PGSetting("client_encoding", "UTF8"),
            PGSetting("DateStyle", "ISO, MDY"), PGSetting("IntervalStyle", "postgres"),
            PGSetting("integer_datetimes", "on"), PGSetting("standard_conforming_strings", "on"),
            PGSetting("TimeZone", timeZone), PGSetting("application_name", applicationName),
            PGSetting("is_superuser", "off"),
        ]
    }
}
