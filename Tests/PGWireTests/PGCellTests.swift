import NIOCore
import PGWire
import Testing

/// Text output as PostgreSQL prints it (DateStyle ISO, TimeZone UTC) and binary as its `*send` functions
/// lay it out.
@Suite struct PGCellTests {
    func binary(_ cell: PGCell) -> [UInt8] {
        var buffer = ByteBuffer()
        cell.encodeBinary(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test func textFormat() {
        let cases: [(PGCell, String)] = [
            (.bool(true), "t"), (.bool(false), "f"), (.int4(-42), "-42"), (.int8(9_000_000_000), "9000000000"),
            (.float8(1), "1"), (.float8(0.1), "0.1"), (.float8(-2.5), "-2.5"), (.float8(.nan), "NaN"),
            (.float8(.infinity), "Infinity"), (.float8(-.infinity), "-Infinity"), (.numeric("12.340"), "12.340"),
            (.text("hello"), "hello"), (.bytea([0xde, 0xad, 0x01]), "\\xdead01"),
            (.date(0), "2000-01-01"), (.date(-1), "1999-12-31"), (.date(8_766), "2024-01-01"),
            (.date(-730_119), "0001-01-01"), (.date(-730_120), "0001-12-31 BC"),
            (.time(0), "00:00:00"), (.time(45_296_500_000), "12:34:56.5"),
            (.timestamp(0), "2000-01-01 00:00:00"), (.timestamp(-1), "1999-12-31 23:59:59.999999"),
            (.timestamptz(86_400_000_000 + 1_000_000), "2000-01-02 00:00:01+00"),
            (.json("{\"a\":1}"), "{\"a\":1}"), (.jsonb("[1]"), "[1]"),
            (.array(element: .int4, [.int4(1), .null, .int4(3)]), "{1,NULL,3}"),
            (
                .array(element: .text, [.text("a b"), .text(""), .text("q\"x"), .text("null")]),
                "{\"a b\",\"\",\"q\\\"x\",\"null\"}"
            ),
        ]
        for (cell, text) in cases { #expect(cell.textValue == text, "\(cell)") }
        #expect(PGCell.null.textValue == nil)
    }

    @Test func binaryFormat() {
        #expect(binary(.bool(true)) == [1])
        #expect(binary(.int4(1)) == [0, 0, 0, 1])
        #expect(binary(.int8(-1)) == [255, 255, 255, 255, 255, 255, 255, 255])
        #expect(binary(.float8(1)) == [0x3f, 0xf0, 0, 0, 0, 0, 0, 0])
        #expect(binary(.jsonb("{}")) == [1, 0x7b, 0x7d])
        #expect(binary(.date(1)) == [0, 0, 0, 1])
        // numeric 12.340: ndigits 2, weight 0, sign +, dscale 3, digits 12 and 3400.
        #expect(binary(.numeric("12.340")) == [0, 2, 0, 0, 0, 0, 0, 3, 0, 12, 0x0d, 0x48])
        // numeric -0.0001: ndigits 1, weight -1, sign -, dscale 4, digit 1.
        #expect(binary(.numeric("-0.0001")) == [0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0, 1])
        #expect(binary(.numeric("NaN")) == [0, 0, 0, 0, 0xc0, 0, 0, 0])
        #expect(binary(.numeric("10000")) == [0, 1, 0, 1, 0, 0, 0, 0, 0, 1])
        // int4[] {1,NULL}: ndim 1, has-null 1, elem 23, dim 2, lbound 1, then the elements.
        #expect(
            binary(.array(element: .int4, [.int4(1), .null]))
                == [
                    0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 23, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 255, 255, 255,
                    255,
                ])
        // A regclass shows the relation's name in text and sends its OID in binary; name sends its text.
        let regclass = PGType(oid: 2205, name: "regclass", size: 4)
        #expect(binary(.catalog(regclass, "orders", oid: 16_385)) == [0, 0, 0x40, 0x01])
        #expect(binary(.catalog(regclass, "16385")) == [0, 0, 0x40, 0x01])
        #expect(binary(.catalog(PGType(oid: 19, name: "name", size: 64), "orders")) == Array("orders".utf8))
    }

    @Test func typesAndArrayOIDs() {
        #expect(PGCell.int8(1).type.oid == 20)
        #expect(PGCell.array(element: .int4, []).type.oid == 1007)
        #expect(PGType.named(oid: 3807)?.elementOID == 3802)
        let oids = [
            PGType.bool, .int4, .int8, .float8, .numeric, .text, .varchar, .bytea, .date, .time, .timestamp,
            .timestamptz, .json, .jsonb,
        ]
        #expect(oids.map(\.oid) == [16, 23, 20, 701, 1700, 25, 1043, 17, 1082, 1083, 1114, 1184, 114, 3802])
        #expect(
            oids.map(\.arrayOID) == [1000, 1007, 1016, 1022, 1231, 1009, 1015, 1001, 1182, 1183, 1115, 1185, 199, 3807])
    }

    @Test func formatCodesExpand() throws {
        #expect(try PGFormat.expand([], count: 3) == [.text, .text, .text])
        #expect(try PGFormat.expand([], count: 40) == Array(repeating: .text, count: 40))
        #expect(try PGFormat.expand([0], count: 2) == [.text, .text])
        #expect(try PGFormat.expand([1], count: 2) == [.binary, .binary])
        #expect(try PGFormat.expand([1, 0], count: 2) == [.binary, .text])
        #expect(try PGFormat.expand([], count: 0) == [])
        #expect(throws: PGError.self) { try PGFormat.expand([2], count: 1) }
        #expect(throws: PGError.self) { try PGFormat.expand([0, 0, 0], count: 2) }
        do {
            _ = try PGFormat.expand([0, 7, 0], count: 2)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("unsupported format code: 7"))
        }
    }

    @Test func bindParametersDecode() throws {
        func text(_ value: String, _ type: PGType) throws -> PGCell {
            try PGBindParameter(value: ByteBuffer(string: value), format: .text, typeOID: type.oid).cell()
        }
        #expect(try text("42", .int4) == .int4(42))
        #expect(try text("on", .bool) == .bool(true))
        #expect(try text("2024-01-01", .date) == .date(8_766))
        #expect(try text("2000-01-01 00:00:01.5", .timestamp) == .timestamp(1_500_000))
        #expect(try text("2000-01-01 01:00:00+01", .timestamptz) == .timestamptz(0))
        #expect(try text("\\x0aff", .bytea) == .bytea([0x0a, 0xff]))
        #expect(try text("1.5e3", .float8) == .float8(1500))
        #expect(throws: PGError.self) { try text("abc", .int8) }
        // PostgreSQL's int and float input skips leading and trailing white space (isspace), and nothing else.
        #expect(try text("  42 ", .int4) == .int4(42))
        #expect(try text("\t-7\n", .int8) == .int8(-7))
        #expect(try text(" 2.5 \r\n", .float8) == .float8(2.5))
        #expect(throws: PGError.self) { try text("   ", .int4) }
        #expect(throws: PGError.self) { try text("4 2", .int4) }
        #expect(throws: PGError.self) { try text("x42", .int4) }
        let binary = try PGBindParameter(
            value: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 9]), format: .binary, typeOID: 20
        ).cell()
        #expect(binary == .int8(9))
        #expect(try PGBindParameter(value: nil, format: .text, typeOID: 23).cell() == .null)
        #expect(throws: PGError.self) {
            try PGBindParameter(value: ByteBuffer(bytes: [0, 1]), format: .binary, typeOID: 23).cell()
        }
    }

    /// Binary arrays as array_send writes them (asyncpg's `$1::oid[]`): one dimension, a NULL element, and the
    /// text form the catalog reads.
    @Test func binaryArrayParametersDecode() throws {
        func binary(_ bytes: [UInt8], _ type: UInt32) throws -> PGCell {
            try PGBindParameter(value: ByteBuffer(bytes: bytes), format: .binary, typeOID: type).cell()
        }
        // One dimension, no NULLs, element type oid; 2 elements from index 1.
        let oids: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 26, 0, 0, 0, 2, 0, 0, 0, 1]
            + [0, 0, 0, 4, 0, 0, 0x03, 0xEF] + [0, 0, 0, 4, 0, 0, 0x03, 0xF8]  // 1007, 1016
        let cell = try binary(oids, PGType.oid.arrayOID)
        #expect(cell == .array(element: .oid, [.catalog(.oid, "1007"), .catalog(.oid, "1016")]))
        #expect(cell.textValue == "{1007,1016}")
        let withNull: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 23, 0, 0, 0, 2, 0, 0, 0, 1]
            + [0, 0, 0, 4, 0, 0, 0, 7] + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(try binary(withNull, PGType.int4.arrayOID) == .array(element: .int4, [.int4(7), .null]))
        #expect(try binary([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23], PGType.int4.arrayOID) == .array(element: .int4, []))
        // Element type not the array's, two dimensions, more elements than bytes: errors, not crashes.
        #expect(throws: PGError.self) { try binary([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20], PGType.int4.arrayOID) }
        #expect(throws: PGError.self) { try binary([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 23], PGType.int4.arrayOID) }
        #expect(throws: PGError.self) {
            try binary([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1], PGType.int4.arrayOID)
        }
    }

    @Test func copyTextEscapes() async {
        var driver = MachineDriver()
        _ = await driver.startup()
        var step = driver.machine.received(.query("ignored"))
        guard case .runSimpleQuery = step else { return #expect(Bool(false)) }
        step = driver.machine.simpleQueryStarted()
        let stream = RowList(columns: [PGColumn(name: "a", type: .text)], rows: [[.text("a\tb\\c\nd")]])
        step = driver.machine.statementReceived(.copyOut(stream))
        _ = driver.machine.rowsFetched(PGRowBatch(rows: [[.text("a\tb\\c\nd")]]))
        let messages = driver.takeMessages()
        #expect(messages.contains(.copyData(ByteBuffer(string: "a\\tb\\\\c\\nd\n"))))
    }
}
