import Testing

@testable import SQLSyntax

@Suite struct LexerTests {
    func kinds(_ sql: String) -> [TokenKind] { Lexer.tokenize(Array(sql.utf8)).map(\.kind) }

    @Test func operatorsAndPunctuation() {
        #expect(
            kinds("+ - * / % || = <> != < <= > >= -> => := . , ( ) [ ] ;") == [
                .plus, .minus, .star, .slash, .percent, .concat, .equal, .notEqual, .notEqual, .lessThan,
                .lessThanOrEqual, .greaterThan, .greaterThanOrEqual, .arrow, .fatArrow, .colonEqual, .period, .comma,
                .leftParen, .rightParen, .leftBracket, .rightBracket, .semicolon, .endOfInput,
            ])
    }

    @Test func numbers() {
        #expect(
            kinds("42 1.5 1. .5 1e3 1.5E-3 2e+1") == [
                .integer, .decimal, .decimal, .decimal, .double, .double,
                .double, .endOfInput,
            ])
        #expect(kinds("1e") == [.invalid, .endOfInput])
        #expect(kinds("a.b") == [.identifier, .period, .identifier, .endOfInput])
        #expect(kinds("x[1]") == [.identifier, .leftBracket, .integer, .rightBracket, .endOfInput])
    }

    @Test func wordsQuotesAndVariables() {
        #expect(
            kinds("select Foo `b``q` \"d\"\"q\" 'it''s' naïve") == [
                .keyword(.SELECT), .identifier, .backquotedIdentifier, .doubleQuotedIdentifier, .string, .identifier,
                .endOfInput,
            ])
        #expect(
            kinds("${topic} $1 $ ${}") == [
                .variable, .parameter, .invalid, .invalid, .invalid, .invalid,
                .endOfInput,
            ])
    }

    @Test func commentsAreSkippedAndUnclosedOnesReported() {
        #expect(kinds("a -- comment ; x\nb /* c ; */ c") == [.identifier, .identifier, .identifier, .endOfInput])
        #expect(kinds("a /* open") == [.identifier, .unterminatedComment, .endOfInput])
        #expect(kinds("'open") == [.unterminatedString, .endOfInput])
        #expect(kinds("`open") == [.unterminatedQuotedIdentifier, .endOfInput])
    }

    @Test func locationsTrackLinesAndCharacterColumns() {
        let tokens = Lexer.tokenize(Array("SELECT\n  'é' ,\r\n\tx".utf8))
        #expect(tokens[0].span.start == SourceLocation(offset: 0, line: 1, column: 1))
        #expect(tokens[0].span.end == SourceLocation(offset: 6, line: 1, column: 7))
        #expect(tokens[1].span.start == SourceLocation(offset: 9, line: 2, column: 3))
        #expect(tokens[1].span.end == SourceLocation(offset: 13, line: 2, column: 6))
        #expect(tokens[2].span.start == SourceLocation(offset: 14, line: 2, column: 7))
        #expect(tokens[3].span.start == SourceLocation(offset: 18, line: 3, column: 2))
        #expect(tokens[4].kind == .endOfInput && tokens[4].span.start.offset == 19)
    }

    @Test func byteOrderMarkIsSkipped() {
        let tokens = Lexer.tokenize([0xEF, 0xBB, 0xBF] + Array("SHOW".utf8))
        #expect(tokens.map(\.kind) == [.keyword(.SHOW), .endOfInput])
        #expect(tokens[0].span.start == SourceLocation(offset: 3, line: 1, column: 1))
    }

    @Test func invalidUTF8AndControlBytesNeverCrash() {
        let bytes: [UInt8] = [0xFF, 0x00, 0xC3, 0x28, 0x80, 0x07, 0x27]
        let tokens = Lexer.tokenize(bytes)
        #expect(tokens.last?.kind == .endOfInput)
        #expect(tokens.last?.span.start.offset == bytes.count)
    }
}
