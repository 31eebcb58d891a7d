import SQLSyntax
import Testing

@testable import Shell

@Suite struct MetaCommandTests {
    @Test func backslashCommands() {
        #expect(MetaCommand.parseBackslash("\\q") == .quit)
        #expect(MetaCommand.parseBackslash("  \\timing on") == .timing(true))
        #expect(MetaCommand.parseBackslash("\\timing") == .timing(nil))
        #expect(MetaCommand.parseBackslash("\\x off") == .expanded(false))
        #expect(MetaCommand.parseBackslash("\\i /tmp/a.sql") == .include("/tmp/a.sql"))
        #expect(MetaCommand.parseBackslash("\\o") == .output(nil))
        #expect(MetaCommand.parseBackslash("\\set topic 'orders'") == .setVariable(name: "topic", value: "orders"))
        #expect(MetaCommand.parseBackslash("\\d") == .sql(["SHOW STREAMS", "SHOW TABLES"]))
        #expect(MetaCommand.parseBackslash("\\d orders") == .sql(["DESCRIBE orders"]))
        #expect(MetaCommand.parseBackslash("\\dt") == .sql(["SHOW TABLES"]))
        #expect(MetaCommand.parseBackslash("SELECT 1") == nil)
        if case .invalid = MetaCommand.parseBackslash("\\bogus") {} else { Issue.record("\\bogus should be invalid") }
    }

    @Test func clientStatements() {
        #expect(MetaCommand.parseStatement("RUN SCRIPT '/tmp/it''s.sql'") == .include("/tmp/it's.sql"))
        #expect(MetaCommand.parseStatement("spool out.txt") == .output("out.txt"))
        #expect(MetaCommand.parseStatement("SPOOL OFF") == .output(nil))
        #expect(MetaCommand.parseStatement("output csv") == .format(.csv))
        #expect(MetaCommand.parseStatement("DEFINE topic = 'orders'") == .setVariable(name: "topic", value: "orders"))
        #expect(MetaCommand.parseStatement("UNDEFINE topic") == .unsetVariable("topic"))
        #expect(MetaCommand.parseStatement("SELECT * FROM s") == nil)
        #expect(MetaCommand.parseStatement("/* RUN SCRIPT 'x' */ SELECT 1") == nil)
    }

    /// The shell splits with SQLSyntax's splitter; these are the cases the shell depends on.
    @Test func splittingHonoursQuotesCommentsAndContinuation() {
        let split = StatementSplitter.split(
            "SELECT ';' FROM s; -- a ; comment\nINSERT INTO s VALUES (1);\nSELECT /* ; */ 2")
        #expect(split.statements.map(\.text) == ["SELECT ';' FROM s", "INSERT INTO s VALUES (1)"])
        #expect(split.remainder?.text == "SELECT /* ; */ 2")
        #expect(!split.remainderIsUnterminated)
        #expect(StatementSplitter.split("SELECT 'abc;\ndef").remainderIsUnterminated)
        #expect(StatementSplitter.split("SELECT 'abc;\ndef';").statements.count == 1)
    }

    @Test func pushQueriesAreRecognisedByTokens() {
        #expect(ShellSession.isPushQuery("SELECT * FROM s EMIT CHANGES LIMIT 3"))
        #expect(ShellSession.isPushQuery("select x from s emit   changes"))
        #expect(!ShellSession.isPushQuery("SELECT 'EMIT CHANGES' FROM t WHERE k = 1"))
        #expect(!ShellSession.isPushQuery("CREATE STREAM x AS SELECT * FROM s EMIT CHANGES"))
    }

    @Test func connectionParametersDefaultToSluicePortUnlessEnvironmentSaysOtherwise() {
        var options = ShellOptions()
        let defaults = options.connectionParameters(environment: [:]).map { "\($0.0)=\($0.1)" }
        #expect(defaults.contains("host=127.0.0.1") && defaults.contains("port=5433"))
        let fromEnvironment = options.connectionParameters(environment: ["PGHOST": "db", "PGPORT": "1"]).map(\.0)
        #expect(!fromEnvironment.contains("host") && !fromEnvironment.contains("port"))
        options.url = "postgres://u@h:1/d"
        #expect(options.connectionParameters(environment: [:]).first! == ("dbname", "postgres://u@h:1/d"))
    }
}
