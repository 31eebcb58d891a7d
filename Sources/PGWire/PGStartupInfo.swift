/// What the client asked for in its StartupMessage, after authentication.
public struct PGStartupInfo: Sendable, Hashable {
    public var user: String
    public var database: String
    /// Every start-up parameter (application_name, client_encoding, DateStyle, TimeZone, …).
    public var parameters: [String: String]
    /// `-c name=value` settings from the `options` parameter, in order.
    public var options: [PGSetting]

    public init(user: String, database: String, parameters: [String: String] = [:], options: [PGSetting] = []) {
        self.user = user
        self.database = database
        self.parameters = parameters
        self.options = options
    }

    init(_ message: StartupMessage, user: String) {
        self.init(
            user: user, database: message.database ?? user,
            parameters: message.parameters.filter { !$0.key.hasPrefix("_pq_.") },
            options: message.optionSettings.map { PGSetting($0.name, $0.value) })
    }
}
