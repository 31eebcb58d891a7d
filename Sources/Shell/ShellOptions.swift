/// How `sluice shell` was asked to connect and what to run; filled by the `sluice` executable's argument parser.
public struct ShellOptions: Sendable {
    public var host: String?
    public var port: String?
    public var user: String?
    public var database: String?
    /// A `postgres://` or `postgresql://` URL, or a libpq conninfo string.
    public var url: String?
    /// `-c` statements, run in order, then exit.
    public var commands: [String] = []
    /// `-f` files, run in order, then exit.
    public var files: [String] = []
    public var historyFile: String?
    public var continueOnError = false
    public var clientVersion = "0.0.0"

    public init() {}

    /// libpq connection keywords. Only what was given is passed, so libpq fills the rest from PGHOST, PGPORT,
    /// PGUSER, PGPASSWORD, PGDATABASE and ~/.pgpass; Sluice's defaults (127.0.0.1:5433) apply when neither a flag
    /// nor the environment names a host or port.
    public func connectionParameters(environment: [String: String], password: String? = nil) -> [(String, String)] {
        var parameters: [(String, String)] = []
        if url == nil {
            if host == nil, environment["PGHOST"] == nil { parameters.append(("host", "127.0.0.1")) }
            if port == nil, environment["PGPORT"] == nil { parameters.append(("port", "5433")) }
            if database == nil, environment["PGDATABASE"] == nil { parameters.append(("dbname", "sluice")) }
        }
        if let url { parameters.append(("dbname", url)) }
        if let host { parameters.append(("host", host)) }
        if let port { parameters.append(("port", port)) }
        if let user { parameters.append(("user", user)) }
        if let database { parameters.append(("dbname", database)) }
        if let password { parameters.append(("password", password)) }
        parameters.append(("application_name", "sluice shell"))
        return parameters
    }
}
