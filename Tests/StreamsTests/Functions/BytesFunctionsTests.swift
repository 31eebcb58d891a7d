import Relational
import Streams
import Testing

@Suite struct BytesFunctionsTests {
    @Test func encode() {
        expectCall("ENCODE", [s("Hello"), s("utf8"), s("hex")], s("48656c6c6f"))
        expectCall("ENCODE", [s("48656C6C6F"), s("hex"), s("utf8")], s("Hello"))
        expectCall("ENCODE", [s("0x48"), s("hex"), s("utf8")], s("H"))
        expectCall("ENCODE", [s("0x148"), s("hex"), s("hex")], s("0148"))
        expectCall("ENCODE", [s("X'4869'"), s("hex"), s("utf8")], s("Hi"))
        expectCall("ENCODE", [s("Hello"), s("ascii"), s("base64")], s("SGVsbG8="))
        expectCall("ENCODE", [s("SGVsbG8"), s("base64"), s("utf8")], s("Hello"))
        expectCall("ENCODE", [s("é"), s("ascii"), s("hex")], s("3f"))
        expectCall("ENCODE", [s("c3a9"), s("hex"), s("ascii")], s("\u{FFFD}\u{FFFD}"))
        expectCall("ENCODE", [s(""), s("utf8"), s("base64")], s(""))
        expectCall("ENCODE", [null, s("utf8"), s("hex")], null)
        expectCall("ENCODE", [s("a"), null, s("hex")], null)
        expectError("ENCODE", [s("abc"), s("hex"), s("utf8")], "22P02")
        expectError("ENCODE", [s("zz"), s("hex"), s("utf8")], "22P02")
        expectError("ENCODE", [s("@@@@"), s("base64"), s("utf8")], "22P02")
        expectError("ENCODE", [s("a"), s("ebcdic"), s("hex")], "22023")
    }

    @Test func toAndFromBytes() {
        expectCall("TO_BYTES", [s("AQID"), s("base64")], .bytes([1, 2, 3]))
        expectCall("TO_BYTES", [s("0aff"), s("hex")], .bytes([0x0A, 0xFF]))
        expectCall("TO_BYTES", [s("hé"), s("utf8")], .bytes([0x68, 0xC3, 0xA9]))
        expectCall("FROM_BYTES", [.bytes([1, 2, 3]), s("base64")], s("AQID"))
        expectCall("FROM_BYTES", [.bytes([0x0A, 0xFF]), s("HEX")], s("0aff"))
        expectCall("FROM_BYTES", [.bytes([0x68, 0x69]), s("ascii")], s("hi"))
        expectCall("TO_BYTES", [null, s("hex")], null)
        expectCall("FROM_BYTES", [null, s("hex")], null, types: [.bytes, .string])
        expectError("TO_BYTES", [s("a"), s("utf16")], "22023")
    }

    @Test func integersFromBytes() {
        expectCall("INT_FROM_BYTES", [.bytes([0, 0, 1, 0])], i(256))
        expectCall("INT_FROM_BYTES", [.bytes([0, 1, 0, 0]), s("LITTLE_ENDIAN")], i(256))
        expectCall("INT_FROM_BYTES", [.bytes([0xFF, 0xFF, 0xFF, 0xFF])], i(-1))
        expectCall("BIGINT_FROM_BYTES", [.bytes([0, 0, 0, 0, 0, 0, 0x01, 0x02])], b(258))
        expectCall("BIGINT_FROM_BYTES", [.bytes([0x02, 0x01, 0, 0, 0, 0, 0, 0]), s("little_endian")], b(258))
        expectCall("DOUBLE_FROM_BYTES", [.bytes([0x3F, 0xF0, 0, 0, 0, 0, 0, 0])], d(1.0))
        expectCall("DOUBLE_FROM_BYTES", [.bytes([0, 0, 0, 0, 0, 0, 0xF0, 0x3F]), s("LITTLE_ENDIAN")], d(1.0))
        expectCall("INT_FROM_BYTES", [null], null, types: [.bytes])
        expectCall("BIGINT_FROM_BYTES", [null], null, types: [.bytes])
        expectCall("DOUBLE_FROM_BYTES", [null], null, types: [.bytes])
        expectError("INT_FROM_BYTES", [.bytes([1, 2, 3])], "22023")
        expectError("BIGINT_FROM_BYTES", [.bytes([1, 2, 3, 4])], "22023")
        expectError("INT_FROM_BYTES", [.bytes([1, 2, 3, 4]), s("MIDDLE_ENDIAN")], "22023")
    }

    @Test func md5() {
        expectCall("MD5", [s("")], s("d41d8cd98f00b204e9800998ecf8427e"))
        expectCall("MD5", [s("abc")], s("900150983cd24fb0d6963f7d28e17f72"))
        expectCall("MD5", [s("The quick brown fox jumps over the lazy dog")], s("9e107d9d372bb6826bd81d3542a419d6"))
        // Two blocks of padding (56 bytes or more).
        expectCall("MD5", [s(String(repeating: "a", count: 64))], s("014842d480b571495a4a0363793f7367"))
        expectCall("MD5", [null], null)
    }
}
