import Testing

@testable import SQLSyntax

@Suite struct KeywordTableTests {
    /// The words in the fenced block that follows `heading` in Grammar/README.md.
    static func listedKeywords(after heading: String) throws -> [String] {
        let text = try #require(TestSupport.read("Grammar/README.md"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == heading })
        let open = try #require(lines[start...].firstIndex { $0.hasPrefix("```") })
        let close = try #require(lines[(open + 1)...].firstIndex { $0.hasPrefix("```") })
        return lines[(open + 1)..<close].flatMap { $0.split(separator: " ").map(String.init) }
    }

    @Test func reservedListEqualsTheLexerTable() throws {
        let listed = try Self.listedKeywords(after: "### Reserved keywords")
        #expect(listed == listed.sorted())
        #expect(Set(listed) == Set(Keyword.reserved.map(\.rawValue)))
        #expect(listed.count == Keyword.reserved.count)
    }

    @Test func nonReservedListEqualsTheLexerTable() throws {
        let listed = try Self.listedKeywords(after: "### Non-reserved keywords")
        #expect(listed == listed.sorted())
        let table = Keyword.allCases.filter { !$0.isReserved }.map(\.rawValue)
        #expect(Set(listed) == Set(table))
        #expect(listed.count == table.count)
    }

    /// The operator list under "Lexical structure" names exactly the punctuation the lexer knows: every one- or
    /// two-byte ASCII sequence that lexes to a single operator token.
    @Test func operatorListEqualsTheLexer() throws {
        let text = try #require(TestSupport.read("Grammar/README.md"))
        let marker = "- **Operators**: `"
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(marker) })
        let listed = Set(line.dropFirst(marker.count).prefix { $0 != "`" }.split(separator: " ").map(String.init))
        let printable = (UInt8(0x21)...UInt8(0x7E)).map { $0 }
        var lexed: Set<String> = []
        for first in printable {
            for bytes in [[first]] + printable.map({ [first, $0] }) {
                let tokens = Lexer.tokenize(bytes)
                if tokens.count == 2 && !tokens[0].kind.symbol.isEmpty {
                    lexed.insert(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        #expect(
            listed == lexed,
            "not listed: \(lexed.subtracting(listed).sorted()); not operators: \(listed.subtracting(lexed).sorted())")
    }

    /// The grammar text without comment lines, productions joined on one line each.
    static func grammarProductions() throws -> [String: String] {
        let text = try #require(TestSupport.read("Grammar/sluice.ebnf"))
        var productions: [String: String] = [:]
        var current: (name: String, body: String)?
        for line in text.split(separator: "\n") where !line.hasPrefix("--") {
            if current == nil, let equals = line.firstIndex(of: "=") {
                current = (line[..<equals].trimmingCharacters(), String(line[line.index(after: equals)...]))
            } else {
                current?.body += " " + line
            }
            if let finished = current, line.hasSuffix(";") {
                productions[finished.name] = finished.body
                current = nil
            }
        }
        return productions
    }

    /// Upper-case words outside quotes: the keywords a production uses.
    static func keywords(in body: String) -> Set<String> {
        var words: Set<String> = []
        var word = ""
        var quote: Character?
        for character in body + " " {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
            } else if character.isUppercase || (character == "_" && !word.isEmpty) {
                word.append(character)
                continue
            }
            if word.count > 1 { words.insert(word) }
            word = ""
        }
        return words
    }

    @Test func grammarKeywordProductionsEqualTheLexerTable() throws {
        let productions = try Self.grammarProductions()
        let reserved = try #require(productions["reserved_keyword"])
        let nonReserved = try #require(productions["non_reserved_keyword"])
        #expect(Self.keywords(in: reserved) == Set(Keyword.reserved.map(\.rawValue)))
        #expect(Self.keywords(in: nonReserved) == Set(Keyword.allCases.filter { !$0.isReserved }.map(\.rawValue)))
    }

    @Test func grammarUsesEveryKeywordAndNoOtherWord() throws {
        var productions = try Self.grammarProductions()
        productions["reserved_keyword"] = nil
        productions["non_reserved_keyword"] = nil
        #expect(productions.count >= 80)
        let used = productions.values.reduce(into: Set<String>()) { $0.formUnion(Self.keywords(in: $1)) }
        #expect(used.subtracting(Keyword.allCases.map(\.rawValue)).sorted() == [])
        #expect(Set(Keyword.allCases.map(\.rawValue)).subtracting(used).sorted() == [])
    }

    @Test func everyKeywordLexesAsItselfInAnyCase() {
        for keyword in Keyword.allCases {
            for spelling in [keyword.rawValue, keyword.rawValue.lowercased()] {
                let tokens = Lexer.tokenize(Array(spelling.utf8))
                #expect(tokens.map(\.kind) == [.keyword(keyword), .endOfInput])
            }
        }
        #expect(Keyword.lookup("SELECTS") == nil)
        #expect(Keyword.lookup("select") == .SELECT)
        #expect(Keyword.lookup("") == nil)
    }

    @Test func isReservedAgreesWithTheReservedSet() {
        for keyword in Keyword.allCases {
            #expect(keyword.isReserved == Keyword.reserved.contains(keyword), "\(keyword)")
        }
    }

    @Test func nonReservedKeywordsAreIdentifiersAndReservedOnesAreNot() throws {
        for keyword in Keyword.allCases where !keyword.isReserved {
            let statement = try Parser.parseStatement("SELECT x FROM \(keyword.rawValue.lowercased())")
            guard case .query(let query) = statement.kind, case .select(let select) = query.body,
                case .source(let name, nil)? = select.from?.kind
            else {
                Issue.record("unexpected AST for \(keyword)")
                continue
            }
            #expect(name.value == keyword.rawValue)
        }
        for keyword in Keyword.reserved {
            #expect(throws: SyntaxError.self) { try Parser.parseStatement("SELECT x FROM \(keyword.rawValue)") }
            let quoted = try Parser.parseStatement("SELECT x FROM `\(keyword.rawValue)`")
            try TestSupport.roundTrip(Unparser.sql(quoted))
        }
    }
}
