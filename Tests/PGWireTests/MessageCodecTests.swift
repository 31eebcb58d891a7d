import NIOCore
import PGWire
import Testing

/// Golden bytes for every message, both directions: encoding gives exactly these bytes and decoding them
/// gives the message back. Bytes are written from the PostgreSQL protocol docs' "Message Formats".
@Suite struct MessageCodecTests {
    /// Big-endian helpers to write expected frames readably.
    static func i32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func i16(_ value: Int16) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    static func s(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }
    static func frame(_ tag: Character, _ body: [UInt8]) -> [UInt8] {
        [tag.asciiValue!] + i32(Int32(body.count + 4)) + body
    }

    // MARK: - Frontend

    static let frontendGolden: [(FrontendMessage, [UInt8])] = [
        (.query(Query(sql: "SELECT 1")), frame("Q", s("SELECT 1"))),
        (
            .parse(Parse(name: "s1", sql: "SELECT $1", parameterTypes: [23])),
            frame("P", s("s1") + s("SELECT $1") + i16(1) + i32(23))
        ),
        (
            .bind(
                Bind(
                    portal: "p", statement: "s1", parameterFormats: [1],
                    parameters: [ByteBuffer(bytes: [0, 0, 0, 7]), nil], resultFormats: [0, 1])),
            frame(
                "B",
                s("p") + s("s1") + i16(1) + i16(1) + i16(2) + i32(4) + [0, 0, 0, 7] + i32(-1) + i16(2) + i16(0) + i16(1)
            )
        ),
        (.describe(Describe(kind: .statement, name: "s1")), frame("D", [0x53] + s("s1"))),
        (.describe(Describe(kind: .portal, name: "")), frame("D", [0x50, 0])),
        (.execute(Execute(portal: "p", maxRows: 5)), frame("E", s("p") + i32(5))),
        (.sync, frame("S", [])),
        (.flush, frame("H", [])),
        (.close(Close(kind: .statement, name: "s1")), frame("C", [0x53] + s("s1"))),
        (.close(Close(kind: .portal, name: "p")), frame("C", [0x50] + s("p"))),
        (.terminate, frame("X", [])),
        (.copyData(ByteBuffer(string: "1\ta\n")), frame("d", Array("1\ta\n".utf8))),
        (.copyDone, frame("c", [])),
        (.copyFail(CopyFail(message: "boom")), frame("f", s("boom"))),
        (.authenticationResponse(ByteBuffer(bytes: s("secret"))), frame("p", s("secret"))),
    ]

    static let startupGolden: [(FrontendMessage, [UInt8])] = [
        (
            .startup(StartupMessage(parameters: ["database": "sluice", "user": "alice"])),
            i32(36) + i32(196_608) + s("database") + s("sluice") + s("user") + s("alice") + [0]
        ),
        (.sslRequest, i32(8) + i32(80_877_103)),
        (.gssEncryptionRequest, i32(8) + i32(80_877_104)),
        (.cancel(CancelRequest(processID: 7, secretKey: -2)), i32(16) + i32(80_877_102) + i32(7) + i32(-2)),
    ]

    @Test func frontendMessagesEncodeToGoldenBytes() {
        for (message, bytes) in Self.frontendGolden + Self.startupGolden {
            #expect(Array(message.bytes.readableBytesView) == bytes, "\(message)")
        }
    }

    @Test func frontendMessagesDecodeFromGoldenBytes() throws {
        for (message, bytes) in Self.startupGolden {
            var decoder = FrontendMessageDecoder()
            var buffer = ByteBuffer(bytes: bytes)
            #expect(try decoder.next(from: &buffer) == message)
            #expect(buffer.readableBytes == 0)
        }
        var decoder = FrontendMessageDecoder()
        var startup = ByteBuffer(bytes: Self.startupGolden[0].1)
        _ = try decoder.next(from: &startup)
        for (message, bytes) in Self.frontendGolden {
            var buffer = ByteBuffer(bytes: bytes)
            #expect(try decoder.next(from: &buffer) == message)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func startupOptionsParseDashCSettings() {
        let message = StartupMessage(parameters: [
            "user": "u", "options": "-c search_path=public -cstatement_timeout=5s --client-encoding=UTF8 -c a=b\\ c",
        ])
        #expect(message.database == "u")
        let settings = message.optionSettings.map { "\($0.name)=\($0.value)" }
        #expect(settings == ["search_path=public", "statement_timeout=5s", "client_encoding=UTF8", "a=b c"])
    }

    @Test func authenticationResponsesDecodeInContext() throws {
        var password = ByteBuffer(bytes: Self.s("md5abc"))
        #expect(try AuthenticationResponse.decodePassword(from: &password) == .password("md5abc"))
        var initial = ByteBuffer(bytes: Self.s("SCRAM-SHA-256") + Self.i32(3) + Array("n,,".utf8))
        #expect(
            try AuthenticationResponse.decodeSASLInitial(from: &initial)
                == .saslInitial(mechanism: "SCRAM-SHA-256", data: Array("n,,".utf8)))
        var response = ByteBuffer(bytes: Array("c=biws".utf8))
        #expect(AuthenticationResponse.decodeSASL(from: &response) == .sasl(data: Array("c=biws".utf8)))
        var encoded = ByteBuffer()
        AuthenticationResponse.saslInitial(mechanism: "M", data: nil).encode(into: &encoded)
        #expect(Array(encoded.readableBytesView) == Self.s("M") + Self.i32(-1))
    }

    // MARK: - Backend

    static let rowDescription = RowDescription(fields: [
        .init(column: PGColumn(name: "id", type: .int4, tableOID: 16384, attributeNumber: 1), format: .binary),
        .init(column: PGColumn(name: "v", type: .text)),
    ])

    static let backendGolden: [(BackendMessage, [UInt8])] = [
        (.authentication(.ok), frame("R", i32(0))),
        (.authentication(.cleartextPassword), frame("R", i32(3))),
        (.authentication(.md5Password(salt: [1, 2, 3, 4])), frame("R", i32(5) + [1, 2, 3, 4])),
        (.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])), frame("R", i32(10) + s("SCRAM-SHA-256") + [0])),
        (.authentication(.saslContinue(data: Array("r=x".utf8))), frame("R", i32(11) + Array("r=x".utf8))),
        (.authentication(.saslFinal(data: Array("v=y".utf8))), frame("R", i32(12) + Array("v=y".utf8))),
        (.parameterStatus(name: "client_encoding", value: "UTF8"), frame("S", s("client_encoding") + s("UTF8"))),
        (.backendKeyData(BackendKeyData(processID: 1, secretKey: 2)), frame("K", i32(1) + i32(2))),
        (.readyForQuery(.idle), frame("Z", [0x49])),
        (.readyForQuery(.inTransaction), frame("Z", [0x54])),
        (.readyForQuery(.failed), frame("Z", [0x45])),
        (
            .rowDescription(rowDescription),
            frame(
                "T",
                i16(2) + s("id") + i32(16384) + i16(1) + i32(23) + i16(4) + i32(-1) + i16(1)
                    + s("v") + i32(0) + i16(0) + i32(25) + i16(-1) + i32(-1) + i16(0))
        ),
        (.dataRow(DataRow(values: [ByteBuffer(string: "1"), nil])), frame("D", i16(2) + i32(1) + [0x31] + i32(-1))),
        (.commandComplete("SELECT 3"), frame("C", s("SELECT 3"))),
        (.emptyQueryResponse, frame("I", [])),
        (
            .error(PGError(SQLState.syntaxError, "bad", detail: "d", hint: "h", position: 8)),
            frame(
                "E",
                [0x53] + s("ERROR") + [0x56] + s("ERROR") + [0x43] + s("42601") + [0x4D] + s("bad")
                    + [0x44] + s("d") + [0x48] + s("h") + [0x50] + s("8") + [0])
        ),
        (
            .notice(PGError(SQLState.warning, "careful", severity: .warning)),
            frame(
                "N", [0x53] + s("WARNING") + [0x56] + s("WARNING") + [0x43] + s("01000") + [0x4D] + s("careful") + [0])
        ),
        (.parseComplete, frame("1", [])),
        (.bindComplete, frame("2", [])),
        (.closeComplete, frame("3", [])),
        (.parameterDescription([23, 25]), frame("t", i16(2) + i32(23) + i32(25))),
        (.noData, frame("n", [])),
        (.portalSuspended, frame("s", [])),
        (.copyInResponse(.text(columns: 2)), frame("G", [0] + i16(2) + i16(0) + i16(0))),
        (.copyOutResponse(CopyResponse(format: .binary, columnFormats: [.binary])), frame("H", [1] + i16(1) + i16(1))),
        (.copyData(ByteBuffer(string: "x\n")), frame("d", Array("x\n".utf8))),
        (.copyDone, frame("c", [])),
        (
            .negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: ["_pq_.x"]),
            frame("v", i32(0) + i32(1) + s("_pq_.x"))
        ),
    ]

    @Test func backendMessagesEncodeToGoldenBytes() {
        for (message, bytes) in Self.backendGolden { #expect(message.bytes == bytes, "\(message)") }
        #expect(BackendMessage.encryptionRefused.bytes == [0x4E])
    }

    @Test func backendMessagesDecodeFromGoldenBytes() throws {
        for (message, bytes) in Self.backendGolden {
            var buffer = ByteBuffer(bytes: bytes)
            #expect(try BackendFrames.decode(&buffer) == [message])
        }
    }

    @Test func errorFieldsRoundTripThroughPGError() {
        var error = PGError(SQLState.undefinedTable, "relation \"x\" does not exist", hint: "create it", position: 15)
        error.otherFields[UInt8(ascii: "t")] = "x"
        #expect(ErrorNoticeFields(error).error == error)
    }

    @Test func dataRowFastPathMatchesValueEncoding() {
        var fast = ByteBuffer()
        DataRow.encode(cells: [.int4(7), .null, .text("hé")], formats: [.binary, .text, .text], into: &fast)
        let slow = BackendMessage.dataRow(
            DataRow(values: [ByteBuffer(bytes: [0, 0, 0, 7]), nil, ByteBuffer(string: "hé")]))
        #expect(Array(fast.readableBytesView) == slow.bytes)
    }
}
