/// HMAC-SHA-256 (RFC 2104, test vectors from RFC 4231) and PBKDF2-HMAC-SHA-256 (RFC 8018), the
/// primitives of SCRAM-SHA-256's `Hi()` (RFC 5802 §2.2).
public struct HMACSHA256: Sendable {
    /// The hash states after absorbing the key XOR ipad and XOR opad blocks, reused for every message
    /// under the same key (PBKDF2 runs thousands of HMACs with one key).
    private let inner: SHA256
    private let outer: SHA256

    public init(key: [UInt8]) {
        var key = key
        if key.count > SHA256.blockSize { key = SHA256.hash(key) }
        key += [UInt8](repeating: 0, count: SHA256.blockSize - key.count)
        var inner = SHA256()
        inner.update(key.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(key.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    public func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var inner = self.inner
        inner.update(message)
        var outer = self.outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).authenticationCode(for: message)
    }

    /// PBKDF2 with one 32-byte output block, which is all SCRAM-SHA-256 needs (`Hi(str, salt, i)`).
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let mac = HMACSHA256(key: password)
        var block = mac.authenticationCode(for: salt + [0, 0, 0, 1])
        var result = block
        for _ in 1..<max(iterations, 1) {
            block = mac.authenticationCode(for: block)
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }
}
