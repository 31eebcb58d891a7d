import SluiceCore
/// A stored SCRAM-SHA-256 credential in PostgreSQL's `pg_authid.rolpassword` form:
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (Base64 fields). RFC 5802 §3, RFC 7677.
/// Holding it, a server can verify a client without knowing the password.
public struct SCRAMVerifier: Sendable, Hashable {
    public static let defaultIterations = 4096

    public var iterations: Int
    public var salt: [UInt8]
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    public init(iterations: Int, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Derives the verifier of `password` (SaltedPassword = Hi(password, salt, i); ClientKey/ServerKey are
    /// HMACs of it with "Client Key"/"Server Key"; StoredKey = H(ClientKey)). PostgreSQL applies SASLprep,
    /// which is the identity for ASCII passwords; non-ASCII passwords are used as their UTF-8 bytes.
    public init(password: String, salt: [UInt8], iterations: Int = SCRAMVerifier.defaultIterations) {
        let salted = HMACSHA256.pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
        let clientKey = HMACSHA256.authenticationCode(key: salted, message: Array("Client Key".utf8))
        self.init(
            iterations: iterations, salt: salt, storedKey: SHA256.hash(clientKey),
            serverKey: HMACSHA256.authenticationCode(key: salted, message: Array("Server Key".utf8)))
    }

    /// Parses PostgreSQL's text form; nil if malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "SCRAM-SHA-256" else { return nil }
        let header = parts[1].split(separator: ":")
        let keys = parts[2].split(separator: ":")
        guard header.count == 2, keys.count == 2, let iterations = Int(header[0]), iterations > 0,
            let salt = Base64.decode(String(header[1])), let stored = Base64.decode(String(keys[0])),
            let server = Base64.decode(String(keys[1])), stored.count == 32, server.count == 32
        else { return nil }
        self.init(iterations: iterations, salt: salt, storedKey: stored, serverKey: server)
    }

    public var text: String {
        "SCRAM-SHA-256$\(iterations):\(Base64.encode(salt))$\(Base64.encode(storedKey)):\(Base64.encode(serverKey))"
    }
}
