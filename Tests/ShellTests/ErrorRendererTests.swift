import Testing

@testable import Shell

@Suite struct ErrorRendererTests {
    @Test func caretUnderTheErrorPosition() {
        let error = ServerError(
            sqlState: "42601", message: "unexpected 'FORM'", hint: "did you mean FROM?", position: 10)
        #expect(
            ErrorRenderer.render(error, statement: "SELECT * FORM orders") == """
                ERROR:  42601: unexpected 'FORM'
                LINE 1: SELECT * FORM orders
                                 ^
                HINT:  did you mean FROM?

                """)
    }

    @Test func caretOnALaterLineCountsCharactersNotBytes() {
        let caret = ErrorRenderer.caret(statement: "SELECT 'é'\n  FORM x", position: 14)
        #expect(caret == "LINE 2:   FORM x\n          ^\n")
        #expect(
            ErrorRenderer.caret(statement: "SELECT '名前' x y", position: 13)
                == "LINE 1: SELECT '名前' x y\n                      ^\n")
    }

    @Test func positionOutOfRangeShowsNoCaret() {
        #expect(ErrorRenderer.caret(statement: "x", position: 5) == nil)
        let error = ServerError(sqlState: "42P01", message: "stream NOPE does not exist", position: 99)
        #expect(ErrorRenderer.render(error, statement: "x") == "ERROR:  42P01: stream NOPE does not exist\n")
    }
}
