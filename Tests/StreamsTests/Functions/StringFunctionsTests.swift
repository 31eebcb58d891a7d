import Relational
import Streams
import Testing

@Suite struct StringFunctionsTests {
    @Test func chr() {
        expectCall("CHR", [i(75)], s("K"))
        expectCall("CHR", [i(0x1F642)], s("🙂"))
        expectCall("CHR", [s("\\u004b")], s("K"))
        expectCall("CHR", [s("\\ud83d\\ude42")], s("🙂"))
        expectCall("CHR", [i(-1)], null)
        expectCall("CHR", [i(0xD800)], null)
        expectCall("CHR", [i(0x110000)], null)
        expectCall("CHR", [s("abc")], null)
        expectCall("CHR", [s("\\u0041bc")], s("Abc"))
        expectCall("CHR", [s("\\ud83d")], null)
        expectCall("CHR", [null], null, types: [.int])
    }

    @Test func concatSkipsNulls() {
        expectCall("CONCAT", [s("a"), null, s("b"), s("ç")], s("abç"))
        expectCall("CONCAT", [null, null], s(""))
        expectCall("CONCAT", [.bytes([1]), .bytes([2, 3])], .bytes([1, 2, 3]))
        expectCall("CONCAT_WS", [s(", "), s("a"), null, s("b")], s("a, b"))
        expectCall("CONCAT_WS", [null, s("a"), s("b")], null)
        expectCall("CONCAT_WS", [s("-"), null], s(""))
    }

    @Test func initcap() {
        expectCall("INITCAP", [s("hello wORLD  foo-bar")], s("Hello World  Foo-bar"))
        expectCall("INITCAP", [s("élan vital")], s("Élan Vital"))
        expectCall("INITCAP", [s("")], s(""))
        expectCall("INITCAP", [null], null)
    }

    @Test func instr() {
        let text = s("CORPORATE FLOOR")
        expectCall("INSTR", [text, s("OR")], i(2))
        expectCall("INSTR", [text, s("OR"), i(3)], i(5))
        expectCall("INSTR", [text, s("OR"), i(3), i(2)], i(14))
        expectCall("INSTR", [text, s("OR"), i(-3)], i(5))
        expectCall("INSTR", [text, s("OR"), i(-3), i(2)], i(2))
        expectCall("INSTR", [text, s("MISSING")], i(0))
        expectCall("INSTR", [s("héllo"), s("l")], i(3))
        expectCall("INSTR", [text, s("OR"), i(100)], i(0))
        expectCall("INSTR", [text, s("OR"), i(-100)], i(0))
        expectCall("INSTR", [text, s("OR"), i(-1)], i(14))
        expectCall("INSTR", [text, s("OR"), i(-2)], i(5))
        expectCall("INSTR", [s("abc"), s("z"), i(2)], i(0))
        expectCall("INSTR", [text, s("OR"), i(1), i(0)], i(0))
        expectCall("INSTR", [null, s("x")], i(0))
        expectCall("INSTR", [s("x"), null], i(0))
    }

    @Test func caseFunctions() {
        expectCall("LCASE", [s("ÀBC d")], s("àbc d"))
        expectCall("UCASE", [s("straße")], s("STRASSE"))
        expectCall("LCASE", [null], null)
        expectCall("UCASE", [null], null)
    }

    @Test func lenCountsCharacters() {
        expectCall("LEN", [s("héllo🙂")], i(6))
        expectCall("LEN", [s("")], i(0))
        expectCall("LEN", [.bytes([1, 2, 3])], i(3))
        expectCall("LEN", [null], null)
    }

    @Test func padding() {
        expectCall("LPAD", [s("abc"), i(6), s("xy")], s("xyxabc"))
        expectCall("RPAD", [s("abc"), i(6), s("xy")], s("abcxyx"))
        expectCall("LPAD", [s("abcdef"), i(3), s("x")], s("abc"))
        expectCall("RPAD", [s("abcdef"), i(3), s("x")], s("abc"))
        expectCall("LPAD", [s("é"), i(3), s("ü")], s("üüé"))
        expectCall("LPAD", [s("abc"), i(5), s("")], null)
        expectCall("LPAD", [s("abc"), i(-1), s("x")], null)
        expectCall("LPAD", [.bytes([1]), i(3), .bytes([0])], .bytes([0, 0, 1]))
        expectCall("RPAD", [.bytes([1]), i(3), .bytes([0])], .bytes([1, 0, 0]))
        expectCall("LPAD", [null, i(3), s("x")], null, types: [.string, .int, .string])
        expectCall("RPAD", [s("a"), null, s("x")], null, types: [.string, .int, .string])
        expectError("RPAD", [s("a"), i(.max), s("x")], "54000")
    }

    @Test func trim() {
        expectCall("TRIM", [s("  \t a b \n")], s("a b"))
        expectCall("TRIM", [s("   ")], s(""))
        expectCall("TRIM", [s("x")], s("x"))
        expectCall("TRIM", [s(" é ")], s("é"))
        expectCall("TRIM", [s("\u{0} 日本\u{1F}")], s("日本"))
        expectCall("TRIM", [s("\u{00A0}x")], s("\u{00A0}x"))
        expectCall("TRIM", [null], null)
    }

    @Test func replace() {
        expectCall("REPLACE", [s("banana"), s("an"), s("AN")], s("bANANa"))
        expectCall("REPLACE", [s("abc"), s(""), s("-")], s("-a-b-c-"))
        expectCall("REPLACE", [s("aaa"), s("aa"), s("b")], s("ba"))
        expectCall("REPLACE", [s("héhé"), s("é"), s("e")], s("hehe"))
        expectCall("REPLACE", [s("abc"), null, s("x")], null)
    }

    @Test func substring() {
        expectCall("SUBSTRING", [s("Hello"), i(2)], s("ello"))
        expectCall("SUBSTRING", [s("Hello"), i(2), i(3)], s("ell"))
        expectCall("SUBSTRING", [s("Hello"), i(-3)], s("llo"))
        expectCall("SUBSTRING", [s("Hello"), i(-3), i(2)], s("ll"))
        expectCall("SUBSTRING", [s("Hello"), i(0), i(2)], s("He"))
        expectCall("SUBSTRING", [s("Hello"), i(10)], s(""))
        expectCall("SUBSTRING", [s("Hello"), i(-10), i(2)], s("He"))
        expectCall("SUBSTRING", [s("Hello"), i(2), i(-1)], s(""))
        expectCall("SUBSTRING", [s("Hello"), i(2), i(.max)], s("ello"))
        expectCall("SUBSTRING", [s("h🙂llo"), i(2), i(2)], s("🙂l"))
        expectCall("SUBSTRING", [.bytes([1, 2, 3]), i(2)], .bytes([2, 3]))
        expectCall("SUBSTRING", [null, i(1)], null, types: [.string, .int])
        expectCall("SUBSTRING", [s("a"), null], null, types: [.string, .int])
    }

    @Test func split() {
        expectCall("SPLIT", [s("a,b,,c,"), s(",")], strings("a", "b", "", "c", ""))
        expectCall("SPLIT", [s("abc"), s("")], strings("a", "b", "c"))
        expectCall("SPLIT", [s("abc"), s("x")], strings("abc"))
        expectCall("SPLIT", [s("a::b"), s("::")], strings("a", "b"))
        expectCall("SPLIT", [s(""), s(",")], strings(""))
        expectCall("SPLIT", [.bytes([1, 0, 2]), .bytes([0])], arr(.bytes([1]), .bytes([2])))
        expectCall("SPLIT", [null, s(",")], null)
    }

    @Test func splitToMap() {
        expectCall("SPLIT_TO_MAP", [s("a=1;b=2;;c;a=3"), s(";"), s("=")], map(("a", s("3")), ("b", s("2"))))
        expectCall("SPLIT_TO_MAP", [s("a=1"), s(";"), s(";")], null)
        expectCall("SPLIT_TO_MAP", [s("a=1"), s(""), s("=")], null)
        expectCall("SPLIT_TO_MAP", [null, s(";"), s("=")], null)
    }

    @Test func uuidIsRandomVersion4() throws {
        guard case .string(let first) = try Fn.call("UUID", []), case .string(let second) = try Fn.call("UUID", [])
        else { Issue.record("not strings"); return }
        #expect(first != second)
        let bytes = Array(first.utf8)
        #expect(bytes.count == 36)
        #expect(bytes[8] == UInt8(ascii: "-") && bytes[13] == UInt8(ascii: "-") && bytes[23] == UInt8(ascii: "-"))
        #expect(bytes[14] == UInt8(ascii: "4"))
        #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
    }

    @Test func eltAndField() {
        expectCall("ELT", [i(2), s("a"), s("b"), s("c")], s("b"))
        expectCall("ELT", [i(0), s("a")], null)
        expectCall("ELT", [i(3), s("a"), s("b")], null)
        expectCall("ELT", [i(-1), s("a")], null)
        expectCall("ELT", [null, s("a")], null, types: [.int, .string])
        expectCall("FIELD", [s("b"), s("a"), s("b"), s("b")], i(2))
        expectCall("FIELD", [s("z"), s("a")], i(0))
        expectCall("FIELD", [null, s("a"), null], i(0))
    }
}
