import Testing

@testable import SQLSyntax

@Suite struct VariableSubstitutionTests {
    @Test func substitutesEverywhereButComments() throws {
        let sql = "CREATE STREAM ${name} (a INT) WITH (KAFKA_TOPIC='${Topic}') -- ${ignored}\n/* ${ignored} */"
        let result = try VariableSubstitution.substitute(sql, variables: ["NAME": "s1", "topic": "orders"])
        #expect(result == "CREATE STREAM s1 (a INT) WITH (KAFKA_TOPIC='orders') -- ${ignored}\n/* ${ignored} */")
        let statement = try Parser.parseStatement(result)
        guard case .createSource(let create) = statement.kind else {
            Issue.record("not CREATE")
            return
        }
        #expect(create.name == "S1" && create.properties.first?.value == .string("orders"))
    }

    @Test func undefinedVariableIsAnErrorAtTheReference() {
        do {
            _ = try VariableSubstitution.substitute("SELECT 1;\nSELECT ${missing}", variables: [:])
            Issue.record("substituted")
        } catch {
            #expect(error.code == .undefinedVariable)
            #expect(error.line == 2 && error.column == 8 && error.offset == 17)
            #expect(error.token == "${missing}")
            #expect(error.hint == "DEFINE MISSING = '…' first")
        }
    }

    @Test func textWithoutReferencesIsUnchanged() throws {
        let text = "SELECT '$', `{x}`, $1, '${' FROM t -- é"
        #expect(try VariableSubstitution.substitute(text, variables: [:]) == text)
    }
}
