import Relational
import Streams
import Testing

@Suite struct JSONFunctionsTests {
    static let doc = s(#"{"a": {"b": [10, {"c": "x"}, null]}, "s": "t\u00e9xt", "n": 1.50, "arr": [1, 2]}"#)

    @Test func extractJSONField() {
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.a.b[0]")], s("10"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.a.b[1].c")], s("x"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.s")], s("téxt"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.n")], s("1.50"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$['arr']")], s("[1,2]"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.a")], s(#"{"b":[10,{"c":"x"},null]}"#))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.a.b[2]")], null)
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.missing")], null)
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.a.b[9]")], null)
        expectError("EXTRACTJSONFIELD", [s("{not json"), s("$.a")], "22P02")
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.arr.1")], s("2"))
        expectCall("EXTRACTJSONFIELD", [Self.doc, s("$.s.x")], null)
        expectCall("EXTRACTJSONFIELD", [null, s("$.a")], null)
        expectCall("EXTRACTJSONFIELD", [Self.doc, null], null)
        expectError("EXTRACTJSONFIELD", [Self.doc, s("a.b")], "22023")
        expectError("EXTRACTJSONFIELD", [Self.doc, s("$.a[x]")], "22023")
    }

    @Test func isJSONString() {
        expectCall("IS_JSON_STRING", [s(#"{"a": [1, true, null]}"#)], .boolean(true))
        expectCall("IS_JSON_STRING", [s(#""abc""#)], .boolean(true))
        expectCall("IS_JSON_STRING", [s("abc")], .boolean(false))
        expectCall("IS_JSON_STRING", [s("")], .boolean(false))
        expectCall("IS_JSON_STRING", [s("[1,]")], .boolean(false))
        expectCall("IS_JSON_STRING", [s(String(repeating: "[", count: 10_000))], .boolean(false))
        expectCall("IS_JSON_STRING", [null], .boolean(false))
    }

    @Test func arrayLengthAndContains() {
        expectCall("JSON_ARRAY_LENGTH", [s("[1, [2, 3], {}]")], i(3))
        expectCall("JSON_ARRAY_LENGTH", [s("[]")], i(0))
        expectCall("JSON_ARRAY_LENGTH", [s("{}")], null)
        expectCall("JSON_ARRAY_LENGTH", [s("[")], null)
        expectCall("JSON_ARRAY_LENGTH", [null], null)
        expectCall("JSON_ARRAY_CONTAINS", [s("[1, 2.5, \"x\", true, null]"), i(1)], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[1, 2.5]"), d(2.5)], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[1.0]"), b(1)], .boolean(false))
        expectCall("JSON_ARRAY_CONTAINS", [s("[1]"), d(1)], .boolean(false))
        expectCall("JSON_ARRAY_CONTAINS", [s("[7, 9]"), b(9)], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[\"x\"]"), s("x")], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[true]"), .boolean(true)], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[null]"), null], .boolean(true))
        expectCall("JSON_ARRAY_CONTAINS", [s("[1]"), s("1")], .boolean(false))
        expectCall("JSON_ARRAY_CONTAINS", [s("{\"a\": 1}"), i(1)], .boolean(false))
        expectCall("JSON_ARRAY_CONTAINS", [null, i(1)], .boolean(false), types: [.string, .int])
    }

    @Test func concat() {
        expectCall("JSON_CONCAT", [s(#"{"a": 1, "b": 2}"#), s(#"{"b": 3, "c": 4}"#)], s(#"{"a":1,"b":3,"c":4}"#))
        expectCall("JSON_CONCAT", [s("[1, 2]"), s("[3]")], s("[1,2,3]"))
        expectCall("JSON_CONCAT", [s(#"{"a": 1}"#), s("[3, 4]")], s(#"[{"a":1},3,4]"#))
        expectCall("JSON_CONCAT", [s("1"), s("\"x\"")], s(#"[1,"x"]"#))
        expectCall("JSON_CONCAT", [s("[1]"), s("nope")], null)
        expectCall("JSON_CONCAT", [s("[1]"), null], null)
    }

    @Test func keysRecordsItems() {
        expectCall("JSON_KEYS", [s(#"{"b": 1, "a": {"c": 2}}"#)], strings("b", "a"))
        expectCall("JSON_KEYS", [s("[1]")], null)
        expectCall("JSON_KEYS", [null], null)
        expectCall(
            "JSON_RECORDS", [s(#"{"a": "x", "b": [1, 2], "c": null}"#)],
            map(("a", s(#""x""#)), ("b", s("[1,2]")), ("c", s("null"))))
        expectCall("JSON_RECORDS", [s("[]")], null)
        expectCall("JSON_RECORDS", [null], null)
        expectCall("JSON_ITEMS", [s(#"[{"a": 1}, "s", 2]"#)], strings(#"{"a":1}"#, #""s""#, "2"))
        expectCall("JSON_ITEMS", [s("{}")], null)
        expectCall("JSON_ITEMS", [null], null)
    }

    @Test func toJSONString() {
        expectCall("TO_JSON_STRING", [s("a\"b")], s(#""a\"b""#))
        expectCall("TO_JSON_STRING", [i(5)], s("5"))
        expectCall("TO_JSON_STRING", [arr(i(1), null)], s("[1,null]"))
        expectCall("TO_JSON_STRING", [map(("k", d(1.5)))], s(#"{"k":1.5}"#))
        expectCall(
            "TO_JSON_STRING", [.struct([i(1), s("x")])], s(#"{"A":1,"B":"x"}"#),
            types: [.struct([.init("A", .int), .init("B", .string)])])
        expectCall("TO_JSON_STRING", [null], s("null"))
        expectCall(
            "TO_JSON_STRING", [.struct([s("x"), i(1)])], s(#"{"A":1,"B":"x"}"#),
            types: [.struct([.init("B", .string), .init("A", .int)])])
        expectCall("TO_JSON_STRING", [map(("b", i(1)), ("a", i(2)))], s(#"{"a":2,"b":1}"#))
        expectCall("TO_JSON_STRING", [.date(1)], s(#""1970-01-02""#))
        expectCall("TO_JSON_STRING", [.timestamp(1500)], s(#""1970-01-01T00:00:01.500""#))
        expectCall("TO_JSON_STRING", [.bytes([1, 2, 3])], s(#""AQID""#))
        expectCall("TO_JSON_STRING", [arr(.date(0), null)], s(#"["1970-01-01",null]"#))
        expectCall("TO_JSON_STRING", [dec("1.50")], s("1.50"))
        expectCall("TO_JSON_STRING", [d(2)], s("2.0"))
    }
}
