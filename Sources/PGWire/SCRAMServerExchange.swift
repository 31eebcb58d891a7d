import SluiceCore
/// The server side of one SCRAM-SHA-256 exchange as PostgreSQL runs it (RFC 5802, RFC 7677; PostgreSQL
/// protocol docs, "SCRAM-SHA-256 Authentication"): client-first → server-first → client-final →
/// server-final. Sans-I/O: feed it the client's SASL payloads, send back what it returns.
///
/// PostgreSQL ignores the SCRAM user name (the start-up packet's user counts) and offers no channel binding
/// here, so the GS2 header must be `n,,` or `y,,`.
public struct SCRAMServerExchange: Sendable {
    private enum State {
        case awaitingClientFirst
        case awaitingClientFinal(clientFirstBare: String, serverFirst: String, nonce: String, gs2Header: String)
        case done
    }

    private let verifier: SCRAMVerifier
    private let serverNonce: String
    private var state = State.awaitingClientFirst

    /// `serverNonce` must be fresh and unpredictable (printable, no commas); the caller injects it.
    public init(verifier: SCRAMVerifier, serverNonce: String) {
        self.verifier = verifier
        self.serverNonce = serverNonce
    }

    public mutating func receiveClientFirst(_ message: [UInt8]) throws(PGError) -> [UInt8] {
        guard case .awaitingClientFirst = state else { throw Self.malformed("unexpected client-first-message") }
        let text = String(decoding: message, as: UTF8.self)
        let (gs2Header, bare) = try Self.splitGS2Header(text)
        let attributes = Self.attributes(bare)
        guard let clientNonce = attributes["r"], !clientNonce.isEmpty, attributes["m"] == nil else {
            throw Self.malformed("client-first-message has no nonce")
        }
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Base64.encode(verifier.salt)),i=\(verifier.iterations)"
        state = .awaitingClientFinal(
            clientFirstBare: bare, serverFirst: serverFirst, nonce: nonce, gs2Header: gs2Header)
        return Array(serverFirst.utf8)
    }

    /// Verifies the client's proof and returns server-final-message (`v=ServerSignature`); throws 28P01 on a
    /// wrong password and 08P01 on a malformed message.
    public mutating func receiveClientFinal(_ message: [UInt8], user: String) throws(PGError) -> [UInt8] {
        guard case .awaitingClientFinal(let clientFirstBare, let serverFirst, let nonce, let gs2Header) = state else {
            throw Self.malformed("unexpected client-final-message")
        }
        state = .done
        let text = String(decoding: message, as: UTF8.self)
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 1].hasPrefix("p=") else {
            throw Self.malformed("client-final-message has no proof")
        }
        let withoutProof = parts.dropLast().joined(separator: ",")
        let attributes = Self.attributes(text)
        guard attributes["c"] == Base64.encode(Array(gs2Header.utf8)) else {
            throw Self.malformed("SCRAM channel binding check failed")
        }
        guard attributes["r"] == nonce else { throw Self.malformed("SCRAM nonce does not match") }
        guard let proof = attributes["p"].flatMap(Base64.decode), proof.count == SHA256.digestSize else {
            throw Self.malformed("malformed SCRAM proof")
        }
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        try verify(proof: proof, authMessage: authMessage, user: user)
        let serverSignature = HMACSHA256.authenticationCode(key: verifier.serverKey, message: authMessage)
        return Array("v=\(Base64.encode(serverSignature))".utf8)
    }

    private func verify(proof: [UInt8], authMessage: [UInt8], user: String) throws(PGError) {
        let clientSignature = HMACSHA256.authenticationCode(key: verifier.storedKey, message: authMessage)
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        let computed = SHA256.hash(clientKey)
        let difference = zip(computed, verifier.storedKey).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        guard difference == 0 else { throw PGAuthenticator.passwordFailed(user: user, method: "SCRAM") }
    }

    private static func splitGS2Header(_ text: String) throws(PGError) -> (header: String, bare: String) {
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "n" || parts[0] == "y", parts[1].isEmpty else {
            if text.hasPrefix("p=") { throw malformed("channel binding is not supported") }
            throw malformed("malformed SCRAM GS2 header")
        }
        return ("\(parts[0]),,", String(parts[2]))
    }

    /// Parses `a=value,b=value` (values may contain '=' but not ',').
    private static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            result[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        return result
    }

    private static func malformed(_ message: String) -> PGError { PGError.protocolViolation(message) }
}
