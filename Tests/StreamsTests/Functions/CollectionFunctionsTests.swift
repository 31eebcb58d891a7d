import Relational
import Streams
import Testing

@Suite struct CollectionFunctionsTests {
    @Test func asMap() {
        expectCall("AS_MAP", [strings("a", "b", "a"), arr(i(1), i(2), i(3))], map(("a", i(3)), ("b", i(2))))
        expectCall("AS_MAP", [strings("a", "b"), arr(i(1))], map(("a", i(1)), ("b", null)))
        expectCall("AS_MAP", [null, arr(i(1))], null, types: [.array(.string), .array(.int)])
    }

    @Test func arrayConcat() {
        expectCall("ARRAY_CONCAT", [arr(i(1)), arr(i(2), i(1))], arr(i(1), i(2), i(1)))
        expectCall("ARRAY_CONCAT", [null, arr(i(2))], arr(i(2)), types: [.array(.int), .array(.int)])
        expectCall("ARRAY_CONCAT", [arr(i(2)), null], arr(i(2)), types: [.array(.int), .array(.int)])
        expectCall("ARRAY_CONCAT", [null, null], null, types: [.array(.int), .array(.int)])
    }

    @Test func arrayContains() {
        expectCall("ARRAY_CONTAINS", [arr(i(1), i(2)), i(2)], .boolean(true))
        expectCall("ARRAY_CONTAINS", [arr(i(1), i(2)), i(3)], .boolean(false))
        expectCall("ARRAY_CONTAINS", [arr(i(1), null), null], .boolean(true), types: [.array(.int), .int])
        expectCall("ARRAY_CONTAINS", [null, i(1)], .boolean(false), types: [.array(.int), .int])
    }

    @Test func setFunctionsKeepFirstOccurrenceOrder() {
        expectCall("ARRAY_DISTINCT", [arr(i(3), i(1), i(3), null, i(1), null)], arr(i(3), i(1), null))
        expectCall("ARRAY_DISTINCT", [.array([])], .array([]))
        expectCall("ARRAY_EXCEPT", [arr(i(1), i(2), i(3), i(2)), arr(i(2))], arr(i(1), i(3)))
        expectCall("ARRAY_INTERSECT", [arr(i(3), i(1), i(2), i(3)), arr(i(2), i(3))], arr(i(3), i(2)))
        expectCall("ARRAY_UNION", [arr(i(2), i(1)), arr(i(1), i(4), i(2))], arr(i(2), i(1), i(4)))
        for name in ["ARRAY_EXCEPT", "ARRAY_INTERSECT", "ARRAY_UNION"] {
            expectCall(name, [arr(i(1)), null], null, types: [.array(.int), .array(.int)])
        }
        expectCall("ARRAY_DISTINCT", [null], null, types: [.array(.int)])
    }

    @Test func lengthMaxMin() {
        expectCall("ARRAY_LENGTH", [arr(i(1), null, i(3))], i(3))
        expectCall("ARRAY_LENGTH", [.array([])], i(0))
        expectCall("ARRAY_LENGTH", [null], null, types: [.array(.int)])
        expectCall("ARRAY_MAX", [arr(i(1), null, i(7), i(3))], i(7))
        expectCall("ARRAY_MIN", [arr(s("b"), s("a"), null)], s("a"))
        expectCall("ARRAY_MAX", [arr(null, null)], null, types: [.array(.int)])
        expectCall("ARRAY_MIN", [.array([])], null)
        expectCall("ARRAY_MAX", [null], null, types: [.array(.int)])
    }

    @Test func remove() {
        expectCall("ARRAY_REMOVE", [arr(i(1), i(2), i(1), null), i(1)], arr(i(2), null))
        expectCall("ARRAY_REMOVE", [arr(i(1), null), null], arr(i(1)), types: [.array(.int), .int])
        expectCall("ARRAY_REMOVE", [null, i(1)], null, types: [.array(.int), .int])
    }

    @Test func sortPutsNullsLast() {
        expectCall("ARRAY_SORT", [arr(i(3), null, i(1), i(2))], arr(i(1), i(2), i(3), null))
        expectCall("ARRAY_SORT", [arr(i(3), null, i(1)), s("desc")], arr(i(3), i(1), null))
        expectCall("ARRAY_SORT", [strings("b", "A", "a")], strings("A", "a", "b"))
        expectCall("ARRAY_SORT", [null], null, types: [.array(.int)])
        expectCall("ARRAY_SORT", [arr(i(1)), null], null, types: [.array(.int), .string])
        expectCall("ARRAY_SORT", [arr(i(2), i(1)), s("descending")], arr(i(2), i(1)))
        expectCall("ARRAY_SORT", [arr(i(1)), s("UP")], null)
    }

    @Test func join() {
        expectCall("ARRAY_JOIN", [arr(i(1), i(2), null)], s("1,2,null"))
        expectCall("ARRAY_JOIN", [strings("a", "b"), s(" | ")], s("a | b"))
        expectCall("ARRAY_JOIN", [.array([]), s("-")], s(""))
        expectCall("ARRAY_JOIN", [arr(d(1.5), d(2))], s("1.5,2.0"))
        expectCall("ARRAY_JOIN", [null, s(",")], null, types: [.array(.int), .string])
    }

    @Test func slice() {
        let list = arr(i(1), i(2), i(3), i(4))
        expectCall("SLICE", [list, i(2), i(3)], arr(i(2), i(3)))
        expectCall("SLICE", [list, i(1), i(4)], list)
        expectCall("SLICE", [list, null, i(2)], arr(i(1), i(2)), types: [.array(.int), .int, .int])
        expectCall("SLICE", [list, i(3), null], arr(i(3), i(4)), types: [.array(.int), .int, .int])
        expectCall("SLICE", [list, i(3), i(2)], .array([]))
        expectCall("SLICE", [list, i(0), i(2)], null)
        expectCall("SLICE", [list, i(2), i(9)], null)
        expectCall("SLICE", [null, i(1), i(2)], null, types: [.array(.int), .int, .int])
    }

    @Test func maps() {
        let m = map(("a", i(1)), ("b", i(2)))
        expectCall("MAP_KEYS", [m], strings("a", "b"))
        expectCall("MAP_VALUES", [m], arr(i(1), i(2)))
        expectCall("MAP_UNION", [m, map(("b", i(9)), ("c", i(3)))], map(("a", i(1)), ("b", i(9)), ("c", i(3))))
        expectCall(
            "MAP_UNION", [m, null], m, types: [.map(key: .string, value: .int), .map(key: .string, value: .int)])
        expectCall(
            "MAP_UNION", [null, null], null, types: [.map(key: .string, value: .int), .map(key: .string, value: .int)])
        expectCall("MAP_KEYS", [null], null, types: [.map(key: .string, value: .int)])
        expectCall("MAP_VALUES", [null], null, types: [.map(key: .string, value: .int)])
    }

    @Test func entries() {
        let m = map(("b", i(2)), ("a", null), ("c", i(3)))
        let types: [DataType] = [.map(key: .string, value: .int), .boolean]
        func kv(_ key: String, _ value: Value) -> Value { .struct([s(key), value]) }
        expectCall("ENTRIES", [m, .boolean(false)], arr(kv("b", i(2)), kv("a", null), kv("c", i(3))), types: types)
        expectCall("ENTRIES", [m, .boolean(true)], arr(kv("a", null), kv("b", i(2)), kv("c", i(3))), types: types)
        expectCall("ENTRIES", [.map([]), .boolean(true)], .array([]), types: types)
        expectCall("ENTRIES", [null, .boolean(true)], null, types: types)
        expectCall("ENTRIES", [m, null], null, types: types)
    }
}
