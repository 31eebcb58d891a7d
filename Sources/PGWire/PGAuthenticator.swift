import SluiceCore
import NIOCore

/// The server's authentication policy: a method and the users it checks against. Produces one
/// `PGAuthenticationExchange` per connection. Immutable; share it across connections.
public struct PGAuthenticator: Sendable {
    public var method: PGAuthenticationMethod
    public var users: PGUserStore

    public init(method: PGAuthenticationMethod = .trust, users: PGUserStore = PGUserStore()) {
        self.method = method
        self.users = users
    }

    /// 28P01 as PostgreSQL words it. Unknown users get the same error, so user names cannot be probed.
    static func passwordFailed(user: String, method: String) -> PGError {
        PGError(
            SQLState.invalidPassword, "password authentication failed for user \"\(user)\"", severity: .fatal,
            detail: "\(method) authentication failed")
    }

    /// Starts the exchange for `user`; `randomBytes` supplies salts and nonces (injected for tests).
    public func startExchange(user: String, randomBytes: (Int) -> [UInt8]) -> PGAuthenticationExchange {
        let credential = users.credential(for: user)
        switch method {
        case .trust: return PGAuthenticationExchange(user: user, kind: .trust)
        case .password: return PGAuthenticationExchange(user: user, kind: .cleartext(credential))
        case .md5: return PGAuthenticationExchange(user: user, kind: .md5(credential, salt: randomBytes(4)))
        case .scramSHA256: return scramExchange(user: user, credential: credential, randomBytes: randomBytes)
        }
    }

    private func scramExchange(
        user: String, credential: PGUserStore.Credential?, randomBytes: (Int) -> [UInt8]
    ) -> PGAuthenticationExchange {
        let nonce = Base64.encode(randomBytes(18))
        let verifier: SCRAMVerifier
        var known = true
        switch credential {
        case .scram(let stored): verifier = stored
        case .password(let password): verifier = SCRAMVerifier(password: password, salt: randomBytes(16))
        case .md5Hash, nil:
            // A mock verifier, so the exchange runs to its end and fails like a wrong password.
            verifier = SCRAMVerifier(
                iterations: 4096, salt: randomBytes(16), storedKey: randomBytes(32), serverKey: randomBytes(32))
            known = false
        }
        let exchange = SCRAMServerExchange(verifier: verifier, serverNonce: nonce)
        return PGAuthenticationExchange(user: user, kind: .scram(exchange, userKnown: known))
    }
}

/// One connection's authentication in progress (sans-I/O): the request to send first, then each 'p'
/// message body in, and either the next request, success, or a FATAL `PGError` (28P01) out.
public struct PGAuthenticationExchange: Sendable {
    enum Kind: Sendable {
        case trust
        case cleartext(PGUserStore.Credential?)
        case md5(PGUserStore.Credential?, salt: [UInt8])
        case scram(SCRAMServerExchange, userKnown: Bool)
    }

    /// What to do after one client message.
    public enum Outcome: Sendable, Hashable {
        /// Send this and wait for the client's next 'p' message.
        case challenge(Authentication)
        /// Authenticated; send this last SASL message (if any), then AuthenticationOk.
        case authenticated(final: Authentication?)
    }

    let user: String
    var kind: Kind
    private var scramStarted = false

    init(user: String, kind: Kind) {
        self.user = user
        self.kind = kind
    }

    /// The first message: nil for trust (authenticated at once).
    public var initialRequest: Authentication? {
        switch kind {
        case .trust: nil
        case .cleartext: .cleartextPassword
        case .md5(_, let salt): .md5Password(salt: salt)
        case .scram: .sasl(mechanisms: ["SCRAM-SHA-256"])
        }
    }

    public mutating func receive(_ body: ByteBuffer) throws(PGError) -> Outcome {
        var body = body
        switch kind {
        case .trust: throw PGError.protocolViolation("unexpected password message")
        case .cleartext(let credential):
            guard case .password(let password) = try AuthenticationResponse.decodePassword(from: &body) else {
                throw PGError.protocolViolation("expected a password")
            }
            try checkCleartext(password, credential)
            return .authenticated(final: nil)
        case .md5(let credential, let salt):
            guard case .password(let digest) = try AuthenticationResponse.decodePassword(from: &body) else {
                throw PGError.protocolViolation("expected a password")
            }
            try checkMD5(digest, credential, salt: salt)
            return .authenticated(final: nil)
        case .scram(var exchange, let known):
            let outcome = try receiveSCRAM(&exchange, known: known, body: &body)
            kind = .scram(exchange, userKnown: known)
            return outcome
        }
    }

    private mutating func receiveSCRAM(
        _ exchange: inout SCRAMServerExchange, known: Bool, body: inout ByteBuffer
    ) throws(PGError) -> Outcome {
        if !scramStarted {
            scramStarted = true
            guard
                case .saslInitial(let mechanism, let data) = try AuthenticationResponse.decodeSASLInitial(from: &body),
                mechanism == "SCRAM-SHA-256", let data
            else { throw PGError.protocolViolation("client selected an invalid SASL authentication mechanism") }
            return .challenge(.saslContinue(data: try exchange.receiveClientFirst(data)))
        }
        guard case .sasl(let data) = AuthenticationResponse.decodeSASL(from: &body) else {
            throw PGError.protocolViolation("expected a SASL response")
        }
        let final = try exchange.receiveClientFinal(data, user: user)
        guard known else { throw PGAuthenticator.passwordFailed(user: user, method: "SCRAM") }
        return .authenticated(final: .saslFinal(data: final))
    }

    private func checkCleartext(_ password: String, _ credential: PGUserStore.Credential?) throws(PGError) {
        let matches: Bool
        switch credential {
        case .password(let stored): matches = constantTimeEqual(Array(stored.utf8), Array(password.utf8))
        case .md5Hash(let stored): matches = stored == "md5" + MD5.hexHash(Array((password + user).utf8))
        case .scram(let verifier):
            matches =
                SCRAMVerifier(password: password, salt: verifier.salt, iterations: verifier.iterations) == verifier
        case nil: matches = false
        }
        guard matches else { throw PGAuthenticator.passwordFailed(user: user, method: "Password") }
    }

    /// The client sends "md5" + md5hex(md5hex(password + user) + salt) (protocol docs, AuthenticationMD5Password).
    private func checkMD5(_ digest: String, _ credential: PGUserStore.Credential?, salt: [UInt8]) throws(PGError) {
        let inner: String?
        switch credential {
        case .password(let stored): inner = MD5.hexHash(Array((stored + user).utf8))
        case .md5Hash(let stored): inner = String(stored.dropFirst(3))
        case .scram, nil: inner = nil
        }
        guard let inner,
            constantTimeEqual(Array(digest.utf8), Array(("md5" + MD5.hexHash(Array(inner.utf8) + salt)).utf8))
        else { throw PGAuthenticator.passwordFailed(user: user, method: "MD5") }
    }

    private func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
