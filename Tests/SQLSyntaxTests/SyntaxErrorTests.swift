import Testing

@testable import SQLSyntax

@Suite struct SyntaxErrorTests {
    func error(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SyntaxError? {
        do {
            let statement = try Parser.parseStatement(sql)
            Issue.record("parsed, expected an error: \(statement)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func misspeltKeywordGetsAHint() throws {
        let form = try #require(error("SELECT * FORM orders"))
        #expect(form.code == .unexpectedToken)
        #expect(form.line == 1 && form.column == 10 && form.offset == 9)
        #expect(form.token == "FORM")
        #expect(Array(form.expected.prefix(3)) == ["','", "FROM", "WINDOW"])
        #expect(form.hint == "did you mean FROM?")

        #expect(error("SELEC * FROM t")?.hint == "did you mean SELECT?")
        #expect(error("CREATE STREM s (a INT)")?.hint == "did you mean STREAM?")
        #expect(error("SELECT * FROM t EMIT CHANGE")?.hint == "did you mean CHANGES?")
        #expect(error("SHOW STREAMZ")?.hint == "did you mean STREAMS?")
        #expect(error("SELECT * FROM t WHERE a = 1 ANDD b = 2")?.hint == "did you mean AND?")
        #expect(error("SELECT * FROM t WHERE a IS NOT NUL")?.hint == "did you mean NULL?")
    }

    /// A misspelt keyword after an item or a source parses as its alias; the error comes a word later and its hint
    /// names the keyword the alias is close to.
    @Test func misspeltKeywordReadAsAnAliasGetsAHint() throws {
        let from = try #require(error("SELECT 'héllo', x FORM orders"))
        #expect(from.token == "orders")
        #expect(from.hint == "did you mean FROM? FORM was read as an alias")
        #expect(error("SELECT * FROM orders WHRE id = 1")?.hint == "did you mean WHERE? WHRE was read as an alias")
        #expect(error("SELECT * FROM orders o JOIN users u ONN o.id = u.id")?.hint == "did you mean ON?")  // after an alias
        // Written as aliases (AS) or too short to be read as a misspelling: no such hint.
        #expect(error("SELECT a AS FORM orders")?.hint != "did you mean FROM? FORM was read as an alias")
        #expect(error("SELECT a b c FROM t")?.hint == "missing comma before 'c'?")
    }

    @Test func reservedWordsAsNamesAndPostgresEscapeStringsGetHints() throws {
        #expect(error("CREATE STREAM s (window INT) WITH (KAFKA_TOPIC='s')")?.hint
            == "WINDOW is a reserved word: quote it (`WINDOW`) to use it as a name")
        #expect(error("SELECT order FROM t")?.hint == "ORDER is a reserved word: quote it (`ORDER`) to use it as a name")
        #expect(error("SELECT E'x' FROM t")?.hint
            == "PostgreSQL's E'…' strings are not supported: write a plain '…' string (a quote is written '')")
    }

    @Test func missingCommaGetsAHint() throws {
        let columns = try #require(error("CREATE STREAM s (a INT b STRING) WITH (KAFKA_TOPIC='s')"))
        #expect(columns.line == 1 && columns.column == 24)
        #expect(columns.token == "b")
        #expect(columns.expected == ["KEY", "PRIMARY", "HEADERS", "HEADER", "','", "')'"])
        #expect(columns.hint == "missing comma before 'b'?")
        #expect(error("SELECT a b c FROM t")?.hint == "missing comma before 'c'?")
        #expect(error("INSERT INTO t VALUES (1 2)")?.hint == "missing comma before '2'?")
    }

    @Test func unclosedQuotesAndComments() throws {
        let string = try #require(error("SELECT a,\n  'abc FROM t"))
        #expect(string.code == .unterminatedString)
        #expect(string.line == 2 && string.column == 3 && string.offset == 12)
        #expect(string.hint == "close the string with '")
        let identifier = try #require(error("SELECT `abc FROM t"))
        #expect(identifier.code == .unterminatedQuotedIdentifier)
        #expect(identifier.hint == "close it with `")
        let comment = try #require(error("SELECT a FROM t /* never closed"))
        #expect(comment.code == .unterminatedComment)
        #expect(comment.column == 17)
        #expect(error("SELECT \"\" FROM t")?.code == .emptyQuotedIdentifier)
    }

    @Test func selectListsAndColumnListsAreBounded() throws {
        #expect(throws: Never.self) { try Parser.parseStatement("SELECT " + Array(repeating: "1", count: 1_664).joined(separator: ", ")) }
        let wide = try #require(error("SELECT " + Array(repeating: "1", count: 40_000).joined(separator: ", ")))
        #expect(wide.message == "a SELECT list can have at most 1664 items")
        let columns = (0...1_600).map { "c\($0) INT" }.joined(separator: ", ")
        let table = try #require(error("CREATE STREAM s (\(columns)) WITH (KAFKA_TOPIC='s')"))
        #expect(table.message == "a stream or table can have at most 1600 columns")
    }

    @Test func postgresStatementsSluiceLacksGetAHint() throws {
        let update = try #require(error("UPDATE users SET name = 'b' WHERE id = 1"))
        #expect(update.message == "UPDATE is not a Sluice statement")
        #expect(update.hint?.hasPrefix("a table keeps the latest row per PRIMARY KEY") == true)
        #expect(update.column == 1)
        #expect(error("truncate users")?.hint?.hasPrefix("there is no full-table delete") == true)
    }

    @Test func postgresCastErrors() throws {
        let numeric = try #require(error("SELECT CAST(x AS NUMERIC) FROM t"))
        #expect(numeric.message.hasPrefix("NUMERIC needs a precision and a scale"))
        #expect(numeric.hint == "write NUMERIC(p, s), e.g. NUMERIC(10, 2)")
        #expect(numeric.column == 18)
        let dangling = try #require(error("SELECT x:: FROM t"))
        #expect(dangling.expected.last == "type")
        #expect(dangling.column == 12)
    }

    @Test func expectedListsAreConcise() throws {
        let end = try #require(error("SELECT a FROM t WHERE"))
        #expect(end.token == "end of input")
        #expect(end.expected == ["expression"])
        #expect(end.column == 22)
        #expect(end.message == "unexpected end of input, expected expression")
        let paren = try #require(error("SELECT (1 FROM t"))
        #expect(paren.expected == ["operator", "')'"])
        let group = try #require(error("SELECT * FROM t GROUP a"))
        #expect(group.expected == ["BY"])
        let second = try #require(error("SELECT a FROM t\nWHERE a = = 1"))
        #expect(second.line == 2 && second.column == 11 && second.token == "=")
    }

    @Test func otherErrorCodes() throws {
        #expect(error("SELECT ${x} FROM t")?.code == .undefinedVariable)
        #expect(error("SELECT a @ b FROM t")?.code == .invalidCharacter)
        #expect(error("SELECT 1abc FROM t")?.code == .invalidCharacter)
        #expect(error("SELECT * FROM t LIMIT 99999999999999999999")?.code == .numberOutOfRange)
        #expect(error("CREATE STREAM s (d DECIMAL(100000, 2))")?.code == .numberOutOfRange)
        #expect(error("SELECT $0")?.code == .numberOutOfRange)
        #expect(error("SELECT $99999999")?.code == .numberOutOfRange)
        #expect(error("")?.code == .emptyStatement)
        #expect(error(" ; -- nothing")?.code == .emptyStatement)
        #expect(error("EXPLAIN EXPLAIN x")?.code == .unexpectedToken)
        #expect(error("SHOW PROPERTIES EXTENDED")?.code == .unexpectedToken)
        #expect(error("CREATE SOURCE STREAM s AS SELECT * FROM t")?.code == .unexpectedToken)
    }

    @Test func scriptErrorsPointIntoTheRightStatement() throws {
        do {
            _ = try Parser.parse("SHOW STREAMS;\nSHOW TABLES;\nSELECT FROM t;")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 3 && error.column == 8 && error.token == "FROM")
            #expect(
                error.description == "syntax error at line 3, column 8: unexpected 'FROM', expected '*' or expression"
                    || error.description.hasPrefix("syntax error at line 3, column 8: unexpected 'FROM'"))
        }
        #expect(throws: SyntaxError.self) { try Parser.parse("SHOW STREAMS SHOW TABLES") }
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let found = try #require(error("SELECT 'é', 'ü' @"))
        #expect(found.column == 17)
        #expect(found.offset == 18)
    }
}

@Suite struct SyntaxErrorRenderingTests {
    @Test func characterPositionCountsCharacters() throws {
        let sql = "SELECT 'é' @"
        do {
            _ = try Parser.parseStatement(sql)
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 12)
            #expect(error.characterPosition(in: sql) == 12)
        }
    }

    @Test func annotatedShowsACaretUnderTheToken() throws {
        let sql = "SHOW STREAMS;\nSELECT * FORM orders"
        do {
            _ = try Parser.parse(sql)
            Issue.record("parsed")
        } catch {
            let lines = error.annotated(sql).split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[1] == "SELECT * FORM orders")
            #expect(lines[2] == "         ^~~~")
        }
        do {
            _ = try Parser.parse("SELECT a FROM")
            Issue.record("parsed")
        } catch {
            #expect(error.annotated("SELECT a FROM").hasSuffix("\nSELECT a FROM\n             ^"))
        }
    }
}
