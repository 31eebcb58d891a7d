import SluiceCore
import NIOCore
import PGWire
import Testing

/// Authentication through the state machine. The SCRAM and MD5 exchanges were computed independently with
/// Python's hashlib/hmac (salt and server nonce bytes are all 0x01, as `MachineDriver` injects).
@Suite struct AuthenticationTests {
    static let verifierText =
        "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="

    static var users: PGUserStore {
        get throws {
            try PGUserStore.parse(
                """
                # users file
                bob:secret
                carol:\(verifierText)
                dave:md5\(MD5.hexHash(Array("secretdave".utf8)))
                """)
        }
    }

    static func response(_ response: AuthenticationResponse) -> FrontendMessage {
        var body = ByteBuffer()
        response.encode(into: &body)
        return .authenticationResponse(body)
    }

    @Test func cleartextPassword() async throws {
        var driver = MachineDriver(method: .password, users: try Self.users)
        #expect(await driver.startup(user: "bob") == [.authentication(.cleartextPassword)])
        let messages = await driver.send(Self.response(.password("secret")))
        #expect(messages.first == .authentication(.ok))
        #expect(messages.last == .readyForQuery(.idle))
    }

    @Test func cleartextAgainstSCRAMVerifierAndWrongPassword() async throws {
        var driver = MachineDriver(method: .password, users: try Self.users)
        _ = await driver.startup(user: "carol")
        #expect(await driver.send(Self.response(.password("pencil"))).first == .authentication(.ok))
        var wrong = MachineDriver(method: .password, users: try Self.users)
        _ = await wrong.startup(user: "bob")
        let messages = await wrong.send(Self.response(.password("nope")))
        #expect(messages.count == 1)
        #expect(messages[0].errorFields?.code == SQLState.invalidPassword)
        #expect(messages[0].errorFields?.message == "password authentication failed for user \"bob\"")
        #expect(wrong.closed)
    }

    @Test func md5Password() async throws {
        var driver = MachineDriver(method: .md5, users: try Self.users)
        #expect(await driver.startup(user: "bob") == [.authentication(.md5Password(salt: [1, 1, 1, 1]))])
        let messages = await driver.send(Self.response(.password("md50dee130ece20cc4ac9e3c9a0d59b983d")))
        #expect(messages.first == .authentication(.ok))
        // A stored md5 hash works the same; the wrong digest is 28P01.
        var stored = MachineDriver(method: .md5, users: try Self.users)
        _ = await stored.startup(user: "dave")
        let inner = MD5.hexHash(Array("secretdave".utf8))
        let digest = "md5" + MD5.hexHash(Array(inner.utf8) + [1, 1, 1, 1])
        #expect(await stored.send(Self.response(.password(digest))).first == .authentication(.ok))
        var wrong = MachineDriver(method: .md5, users: try Self.users)
        _ = await wrong.startup(user: "bob")
        #expect(
            await wrong.send(Self.response(.password("md5ffff"))).first?.errorFields?.code == SQLState.invalidPassword)
    }

    @Test func scramSHA256() async throws {
        var driver = MachineDriver(method: .scramSHA256, users: try Self.users)
        #expect(await driver.startup(user: "carol") == [.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"]))])
        let first = await driver.send(
            Self.response(.saslInitial(mechanism: "SCRAM-SHA-256", data: Array("n,,n=,r=clientnonce123".utf8))))
        let serverFirst = "r=clientnonce123AQEBAQEBAQEBAQEBAQEBAQEB,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        #expect(first == [.authentication(.saslContinue(data: Array(serverFirst.utf8)))])
        let clientFinal =
            "c=biws,r=clientnonce123AQEBAQEBAQEBAQEBAQEBAQEB,p=OwCSxy/BtvG1nzTPrUvXqq6edlsp34Eg5+g5nk7hSMQ="
        let final = await driver.send(Self.response(.sasl(data: Array(clientFinal.utf8))))
        #expect(
            final.first
                == .authentication(.saslFinal(data: Array("v=yxiuEpcrYgcwDwm9FSCnWPTTWPcg114JGm0cZlVoQV8=".utf8))))
        #expect(final.dropFirst().first == .authentication(.ok))
        #expect(final.last == .readyForQuery(.idle))
    }

    @Test func scramUnknownUserFailsAtTheEnd() async throws {
        var driver = MachineDriver(method: .scramSHA256, users: try Self.users)
        _ = await driver.startup(user: "mallory")
        _ = await driver.send(Self.response(.saslInitial(mechanism: "SCRAM-SHA-256", data: Array("n,,n=,r=abc".utf8))))
        let final = await driver.send(
            Self.response(
                .sasl(
                    data: Array(
                        "c=biws,r=abcAQEBAQEBAQEBAQEBAQEBAQEB,p=OwCSxy/BtvG1nzTPrUvXqq6edlsp34Eg5+g5nk7hSMQ=".utf8))))
        #expect(final.first?.errorFields?.code == SQLState.invalidPassword)
        #expect(driver.closed)
    }

    @Test func scramRejectsChannelBindingAndBadMechanism() async throws {
        var plus = MachineDriver(method: .scramSHA256, users: try Self.users)
        _ = await plus.startup(user: "carol")
        let bound = await plus.send(
            Self.response(.saslInitial(mechanism: "SCRAM-SHA-256", data: Array("p=tls-server-end-point,,n=,r=x".utf8))))
        #expect(bound.first?.errorFields?.code == SQLState.protocolViolation)
        var other = MachineDriver(method: .scramSHA256, users: try Self.users)
        _ = await other.startup(user: "carol")
        let mechanism = await other.send(Self.response(.saslInitial(mechanism: "PLAIN", data: [])))
        #expect(mechanism.first?.errorFields?.code == SQLState.protocolViolation)
    }

    @Test func usersFileRejectsBadLines() {
        #expect(throws: PGError.self) { try PGUserStore.parse("no-colon-here") }
        #expect(throws: PGError.self) { try PGUserStore.parse("x:SCRAM-SHA-256$bad") }
    }
}
