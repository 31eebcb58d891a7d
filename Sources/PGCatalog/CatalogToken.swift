/// One lexical token of the PostgreSQL dialect, with its 1-based character position in the statement.
struct CatalogToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An identifier or keyword; unquoted ones are already folded to lower case.
        case identifier(String, quoted: Bool)
        case number(String)
        case string(String)
        case parameter(Int)
        /// An operator (`=`, `<>`, `!~*`, `||`, `::`) or punctuation (`(`, `)`, `,`, `.`, `[`, `]`, `;`).
        case symbol(String)
        case end
    }

    var kind: Kind
    var position: Int

    /// The lower-case keyword this token spells, if it is an unquoted identifier.
    var keyword: String? {
        if case .identifier(let s, false) = kind { return s }
        return nil
    }

    var symbol: String? {
        if case .symbol(let s) = kind { return s }
        return nil
    }
}
