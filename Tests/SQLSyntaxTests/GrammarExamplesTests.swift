import Testing

@testable import SQLSyntax

@Suite struct GrammarExamplesTests {
    @Test func everyGrammarExampleParsesAndRoundTrips() throws {
        let examples = TestSupport.grammarExamples()
        #expect(examples.count >= 100)
        for example in examples {
            do {
                try TestSupport.roundTrip(example)
            } catch {
                Issue.record("example does not parse: \(example)\n\(error)")
            }
        }
    }

    /// Every production (`name = …`) is followed by at least one example before the next production.
    @Test func everyProductionHasAnExample() throws {
        let text = try #require(TestSupport.read("Grammar/sluice.ebnf"))
        var current: String?
        var missing: [String] = []
        var productions = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let name = Self.productionName(line) {
                if let current { missing.append(current) }
                current = name
                productions += 1
            } else if line.hasPrefix("-- example: ") {
                current = nil
            }
        }
        if let current { missing.append(current) }
        #expect(productions >= 60)
        #expect(missing == [])
    }

    private static func productionName(_ line: Substring) -> String? {
        guard let first = line.first, first.isLetter, first.isLowercase, let equals = line.firstIndex(of: "=")
        else { return nil }
        let name = line[..<equals].trimmingCharacters()
        return name.allSatisfy { $0.isLetter || $0 == "_" } ? name : nil
    }

    @Test func scriptOfAllExamplesParsesAsOneScript() throws {
        let examples = TestSupport.grammarExamples().filter { !$0.contains("--") }
        let statements = try Parser.parse(examples.joined(separator: "\n"))
        #expect(statements.count == examples.count)
        let reparsed = try Parser.parse(Unparser.sql(statements))
        #expect(reparsed == statements)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
