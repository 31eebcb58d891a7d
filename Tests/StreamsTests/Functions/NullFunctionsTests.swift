import Relational
import Streams
import Testing

@Suite struct NullFunctionsTests {
    @Test func coalesce() {
        expectCall("COALESCE", [null, s("a"), s("b")], s("a"))
        expectCall("COALESCE", [i(1)], i(1))
        expectCall("COALESCE", [null, null], null)
    }

    @Test func ifnull() {
        expectCall("IFNULL", [null, s("alt")], s("alt"))
        expectCall("IFNULL", [s("x"), s("alt")], s("x"))
        expectCall("IFNULL", [null, null], null)
    }

    @Test func nullif() {
        expectCall("NULLIF", [i(3), i(3)], null)
        expectCall("NULLIF", [i(3), i(4)], i(3))
        expectCall("NULLIF", [i(3), null], i(3))
        expectCall("NULLIF", [null, i(3)], null)
        expectCall("NULLIF", [s("a"), s("a")], null)
    }

    @Test func asValue() {
        expectCall("AS_VALUE", [s("k")], s("k"))
        expectCall("AS_VALUE", [null], null)
    }
}
