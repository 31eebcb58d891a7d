/// The users a server accepts and their credentials, filled by the server from its users file.
/// Immutable once built, so it is safe to share across connections.
public struct PGUserStore: Sendable {
    /// What is stored for a user: a cleartext password (usable with every method), an MD5 hash
    /// (`"md5" + md5hex(password + user)`, usable with md5 and cleartext), or a SCRAM verifier (usable with
    /// SCRAM-SHA-256 and cleartext).
    public enum Credential: Sendable, Hashable {
        case password(String)
        case md5Hash(String)
        case scram(SCRAMVerifier)
    }

    public private(set) var users: [String: Credential]

    public init(users: [String: Credential] = [:]) { self.users = users }

    public func credential(for user: String) -> Credential? { users[user] }

    public mutating func add(user: String, credential: Credential) { users[user] = credential }

    /// Parses a users file: one `name:secret` per line, where secret is a `SCRAM-SHA-256$…` verifier, an
    /// `md5…` hash (35 characters) or else a cleartext password. Blank lines and `#` comments are skipped.
    /// Throws a message naming the first bad line.
    public static func parse(_ contents: String) throws(PGError) -> PGUserStore {
        var store = PGUserStore()
        for (number, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else {
                throw PGError(
                    SQLState.invalidAuthorizationSpecification, "users file line \(number + 1): expected name:secret")
            }
            let secret = String(trimmed[trimmed.index(after: colon)...])
            store.add(user: String(trimmed[..<colon]), credential: try credential(parsing: secret, line: number + 1))
        }
        return store
    }

    private static func credential(parsing secret: String, line: Int) throws(PGError) -> Credential {
        if secret.hasPrefix("SCRAM-SHA-256$") {
            guard let verifier = SCRAMVerifier(secret) else {
                throw PGError(SQLState.invalidAuthorizationSpecification, "users file line \(line): bad SCRAM verifier")
            }
            return .scram(verifier)
        }
        if secret.hasPrefix("md5"), secret.utf8.count == 35 { return .md5Hash(secret) }
        return .password(secret)
    }
}
