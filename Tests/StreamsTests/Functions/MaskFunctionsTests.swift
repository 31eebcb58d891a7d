import Relational
import Streams
import Testing

@Suite struct MaskFunctionsTests {
    @Test func mask() {
        expectCall("MASK", [s("AbC-12 é")], s("XxX-nn-x"))
        expectCall("MASK", [s("AbC-12"), s("U"), s("l"), s("#"), s("*")], s("UlU*##"))
        expectCall("MASK", [s("AbC-12"), null, s("l"), null, s("*")], s("AlC*12"))
        expectCall("MASK", [s("")], s(""))
        expectCall("MASK", [s("ǅa")], s("-x"))
        expectError("MASK", [s("a"), s("XY")], "22023")
        expectError("MASK", [s("a"), s("X"), s("")], "22023")
        expectCall("MASK", [null], null)
    }

    @Test func maskKeepAndMaskCounted() {
        expectCall("MASK_KEEP_LEFT", [s("Abcd1234"), i(3)], s("Abcxnnnn"))
        expectCall("MASK_KEEP_RIGHT", [s("Abcd1234"), i(3)], s("Xxxxn234"))
        expectCall("MASK_LEFT", [s("Abcd1234"), i(3)], s("Xxxd1234"))
        expectCall("MASK_RIGHT", [s("Abcd1234"), i(3)], s("Abcd1nnn"))
        expectCall("MASK_LEFT", [s("ab"), i(10)], s("xx"))
        expectCall("MASK_RIGHT", [s("ab"), i(0)], s("ab"))
        expectCall("MASK_LEFT", [s("Ab1"), i(3), s("U"), s("L"), s("D"), s("O")], s("ULD"))
        expectCall("MASK_KEEP_LEFT", [null, i(1)], null, types: [.string, .int])
        expectCall("MASK_RIGHT", [s("a"), null], null, types: [.string, .int])
        expectError("MASK_LEFT", [s("abc"), i(-1)], "22023")
        expectError("MASK_KEEP_RIGHT", [s("abc"), i(-1)], "22023")
    }
}
