import Testing

@testable import Shell

@Suite struct CompleterTests {
    let catalog = CompletionCatalog(
        streams: ["ORDERS", "PAGEVIEWS"], tables: ["ORDER_TOTALS"], columns: ["AMOUNT", "ID", "USER_ID"],
        functions: ["ABS", "UCASE"], properties: ["auto.offset.reset"])

    @Test func statementStartKeywords() {
        #expect(Completer.candidates(prefix: "SEL", catalog: catalog) == ["SELECT"])
        #expect(Completer.candidates(prefix: "sh", catalog: catalog) == ["show"])
        #expect(Completer.candidates(prefix: "SELECT 1; DES", catalog: catalog) == ["DESCRIBE"])
    }

    @Test func relationNamesAfterFromJoinIntoDescribe() {
        #expect(Completer.candidates(prefix: "SELECT * FROM ORD", catalog: catalog) == ["ORDERS", "ORDER_TOTALS"])
        #expect(Completer.candidates(prefix: "select * from pa", catalog: catalog) == ["PAGEVIEWS"])
        #expect(
            Completer.candidates(prefix: "INSERT INTO ", catalog: catalog) == ["ORDERS", "ORDER_TOTALS", "PAGEVIEWS"])
        #expect(Completer.candidates(prefix: "DESCRIBE P", catalog: catalog) == ["PAGEVIEWS"])
    }

    @Test func columnsAndFunctionsInExpressions() {
        #expect(Completer.candidates(prefix: "SELECT US", catalog: catalog) == ["USER_ID"])
        #expect(Completer.candidates(prefix: "SELECT id, UC", catalog: catalog) == ["UCASE"])
        #expect(Completer.candidates(prefix: "SELECT * FROM orders WHERE AM", catalog: catalog) == ["AMOUNT"])
    }

    @Test func propertiesAfterSetComeFromTheServersSessionScope() {
        let shown = ResultSet(
            columns: ["property", "scope", "value"],
            rows: [
                ["auto.offset.reset", "SESSION", "latest"], ["my.note", "SESSION", "x"],
                ["sluice.workers", "SERVER", "2"],
            ])
        let server = CompletionCatalog(properties: Completer.settableProperties(shown))
        #expect(server.properties == ["auto.offset.reset", "my.note"])
        #expect(Completer.candidates(prefix: "SET ", catalog: server) == ["'auto.offset.reset'", "'my.note'"])
        #expect(Completer.candidates(prefix: "unset 'my", catalog: server) == ["'my.note'"])
        #expect(Completer.candidates(prefix: "SET au", catalog: server) == ["'auto.offset.reset'"])
        let unscoped = ResultSet(columns: ["name"], rows: [["a.b"], [nil]])
        #expect(Completer.settableProperties(unscoped) == ["a.b"])
    }

    @Test func propertiesAfterSetFallBackToWhatTheEngineReads() {
        #expect(Completer.candidates(prefix: "SET ", catalog: CompletionCatalog()) == ["'auto.offset.reset'"])
        #expect(Completer.candidates(prefix: "SET 'auto", catalog: catalog) == ["'auto.offset.reset'"])
    }

    @Test func contextSpansEarlierLinesAndSkipsQuotedText() {
        #expect(Completer.candidates(prefix: "SELECT *\nFROM PAG", catalog: catalog) == ["PAGEVIEWS"])
        #expect(Completer.candidates(prefix: "SHOW STR", catalog: catalog) == ["STREAMS"])
        #expect(Completer.candidates(prefix: "SELECT * FROM orders EMIT C", catalog: catalog) == ["CHANGES"])
    }

    @Test func metaCommands() {
        #expect(Completer.candidates(prefix: "\\ti", catalog: catalog) == ["\\timing"])
        #expect(
            Completer.candidates(prefix: "\\d", catalog: catalog) == ["\\d", "\\df", "\\dp", "\\dq", "\\ds", "\\dt"])
    }

    @Test func longestCommonPrefixForReadline() {
        #expect(LineEditor.longestCommonPrefix(["ORDERS", "ORDER_TOTALS"]) == "ORDER")
        #expect(LineEditor.longestCommonPrefix(["one"]) == "one")
    }
}
