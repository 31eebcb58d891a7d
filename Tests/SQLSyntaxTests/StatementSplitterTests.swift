import Testing

@testable import SQLSyntax

@Suite struct StatementSplitterTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() {
        let result = StatementSplitter.split(
            """
            SHOW STREAMS;
            INSERT INTO t VALUES ('a;b', `c;d`); -- x; y
            /* ; */ SELECT 1;;
            DESCRIBE t
            """)
        #expect(
            result.statements.map(\.text) == [
                "SHOW STREAMS", "INSERT INTO t VALUES ('a;b', `c;d`)", "SELECT 1",
            ])
        #expect(result.statements[1].start == SourceLocation(offset: 14, line: 2, column: 1))
        #expect(result.statements[2].start.line == 3 && result.statements[2].start.column == 9)
        #expect(result.remainder?.text == "DESCRIBE t")
        #expect(result.remainderIsUnterminated == false)
    }

    @Test func unterminatedQuoteMakesTheRemainderIncomplete() {
        let result = StatementSplitter.split("SELECT 1; SELECT 'abc;\ndef")
        #expect(result.statements.map(\.text) == ["SELECT 1"])
        #expect(result.remainder?.text == "SELECT 'abc;\ndef")
        #expect(result.remainderIsUnterminated)
        let comment = StatementSplitter.split("SELECT /* ; ")
        #expect(comment.statements.isEmpty && comment.remainderIsUnterminated)
    }

    @Test func blankInputHasNothing() {
        let result = StatementSplitter.split("  ;\n -- only a comment\n ; ")
        #expect(result.statements.isEmpty)
        #expect(result.remainder == nil)
    }

    @Test func splitPiecesParseLikeTheWholeScript() throws {
        let script = TestSupport.grammarExamples().filter { !$0.contains("--") }.joined(separator: "\n")
        let pieces = StatementSplitter.split(script).statements
        let whole = try Parser.parse(script)
        #expect(try pieces.map { try Parser.parseStatement($0.text) } == whole)
    }
}
