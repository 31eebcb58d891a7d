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

    /// Offsets in the substituted text map back to what was written: shifted after a reference, and to the
    /// reference's `${` inside a value.
    @Test func offsetsMapBackToTheOriginal() throws {
        let text = "SELECT ${long}, x FROM ${t}"
        let s = try VariableSubstitution.substituteTracking(text, variables: ["LONG": "a_much_longer_value", "T": "u"])
        #expect(s.text == "SELECT a_much_longer_value, x FROM u")
        #expect(s.changed)
        #expect(s.originalOffset(0) == 0)  // before any reference
        #expect(s.originalOffset(7) == 7 && s.originalOffset(12) == 7)  // inside the first value: its ${
        let x = s.text.utf8.firstIndex(of: UInt8(ascii: "x"))!
        #expect(s.originalOffset(s.text.utf8.distance(from: s.text.utf8.startIndex, to: x)) == 16)  // after it: shifted
        #expect(s.originalOffset(35) == 23)  // the second value
        #expect(try !VariableSubstitution.substituteTracking("SELECT 1", variables: [:]).changed)
    }
}
