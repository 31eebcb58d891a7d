import SluiceCore
import PGWire
import Testing

/// Published test vectors: FIPS 180-2 / NIST examples (SHA-256), RFC 4231 (HMAC-SHA-256), RFC 7914 §11
/// (PBKDF2-HMAC-SHA-256), RFC 1321 A.5 (MD5), RFC 4648 §10 (Base64), RFC 7677 §3 (SCRAM-SHA-256).
@Suite struct CryptoTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256(input: String, digest: String) {
        #expect(Self.hex(SHA256.hash(Array(input.utf8))) == digest)
    }

    @Test func sha256Incremental() {
        var hasher = SHA256()
        for chunk in ["abcdbcdecdefdefgefgh", "fghighijhijkijkljklmklmnlmnomn", "opnopq"] {
            hasher.update(Array(chunk.utf8))
        }
        #expect(Self.hex(hasher.finalize()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hmacRFC4231() {
        let case1 = HMACSHA256.authenticationCode(
            key: Array(repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(Self.hex(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = HMACSHA256.authenticationCode(
            key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Self.hex(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let case6 = HMACSHA256.authenticationCode(
            key: Array(repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(Self.hex(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func pbkdf2RFC7914() {
        let derived = HMACSHA256.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1)
        #expect(Self.hex(derived) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }

    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5(input: String, digest: String) {
        #expect(MD5.hexHash(Array(input.utf8)) == digest)
    }

    @Test func base64RFC4648() {
        let vectors = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zg=a") == nil)
    }

    /// RFC 7677 §3's exchange, user "user", password "pencil".
    @Test func scramRFC7677Exchange() throws {
        let verifier = SCRAMVerifier(password: "pencil", salt: Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!)
        var exchange = SCRAMServerExchange(verifier: verifier, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        let serverFirst = try exchange.receiveClientFirst(Array("n,,n=user,r=rOprNGfwEbeRWgbNEkqO".utf8))
        #expect(
            String(decoding: serverFirst, as: UTF8.self)
                == "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        let clientFinal =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        let serverFinal = try exchange.receiveClientFinal(Array(clientFinal.utf8), user: "user")
        #expect(String(decoding: serverFinal, as: UTF8.self) == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    @Test func scramWrongProofIs28P01() throws {
        let verifier = SCRAMVerifier(password: "other", salt: Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!)
        var exchange = SCRAMServerExchange(verifier: verifier, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        _ = try exchange.receiveClientFirst(Array("n,,n=user,r=rOprNGfwEbeRWgbNEkqO".utf8))
        let clientFinal =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        #expect(throws: PGError.self) { try exchange.receiveClientFinal(Array(clientFinal.utf8), user: "user") }
    }

    @Test func verifierTextRoundTrips() {
        // Computed independently with Python's hashlib.pbkdf2_hmac and hmac (recorded once).
        let text =
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="
        let parsed = SCRAMVerifier(text)
        #expect(parsed?.text == text)
        #expect(parsed == SCRAMVerifier(password: "pencil", salt: Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!))
        #expect(SCRAMVerifier("SCRAM-SHA-256$x:y$z") == nil)
    }
}
