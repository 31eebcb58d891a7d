import SQLSyntax

/// Names the server knows, fetched with SHOW STREAMS / SHOW TABLES / SHOW FUNCTIONS / DESCRIBE and cached.
public struct CompletionCatalog: Hashable, Sendable {
    public var streams: [String] = []
    public var tables: [String] = []
    public var columns: [String] = []
    public var functions: [String] = []
    public var properties: [String] = []

    public init(
        streams: [String] = [], tables: [String] = [], columns: [String] = [], functions: [String] = [],
        properties: [String] = []
    ) {
        self.streams = streams
        self.tables = tables
        self.columns = columns
        self.functions = functions
        self.properties = properties
    }
}

/// Computes tab-completion candidates from the text before the cursor: keywords in context, relation names after
/// FROM/JOIN/INTO/DESCRIBE, columns and functions in expressions, property names after SET. Pure, so it is
/// tested without readline; `LineEditor` only hands it the line.
public enum Completer {
    /// Properties offered after SET / UNSET before (or without) the server's list: the session properties Sluice's
    /// engine reads (`SessionState.knownProperties`; the shell talks to servers it does not link).
    public static let defaultProperties = ["auto.offset.reset"]

    static let statementStarts = [
        "CREATE", "INSERT", "SELECT", "SHOW", "DESCRIBE", "DROP", "TERMINATE", "SET", "UNSET", "EXPLAIN", "DEFINE",
        "UNDEFINE", "RUN", "SPOOL", "OUTPUT", "PRINT", "LIST", "DELETE", "ASSERT", "PAUSE", "RESUME", "ALTER",
    ]
    static let metaCommands = [
        "\\q", "\\?", "\\timing", "\\x", "\\i", "\\o", "\\set", "\\unset", "\\d", "\\ds", "\\dt", "\\dq", "\\df",
        "\\dp",
    ]

    /// Candidates for the word that ends at the end of `prefix` (everything typed before the cursor on the
    /// current statement). Keyword candidates follow the case of the typed word.
    public static func candidates(prefix: String, catalog: CompletionCatalog) -> [String] {
        let word = currentWord(prefix)
        let before = String(prefix.dropLast(word.count))
        if word.hasPrefix("\\") && before.allSatisfy(\.isWhitespace) { return filter(metaCommands, word) }
        let previous = previousWords(before)
        let pool: [String]
        switch previous.last {
        case nil: pool = statementStarts
        case "FROM", "JOIN", "INTO", "DESCRIBE", "TABLE", "STREAM", "PRINT":
            pool = catalog.streams + catalog.tables + (previous.last == "DESCRIBE" ? ["EXTENDED", "FUNCTION"] : [])
        case "SHOW", "LIST":
            pool = ["STREAMS", "TABLES", "QUERIES", "FUNCTIONS", "PROPERTIES", "TOPICS", "TYPES", "VARIABLES", "CONSUMER"]
        case "CONSUMER": pool = ["GROUPS"]
        case "SET", "UNSET":
            return filter(
                (catalog.properties + defaultProperties).map { "'\($0)'" }, word.hasPrefix("'") ? word : "'" + word)
        case "CREATE": pool = ["STREAM", "TABLE", "OR", "SOURCE"]
        case "EMIT": pool = ["CHANGES", "FINAL"]
        case "OUTPUT": pool = OutputFormat.allCases.map(\.rawValue)
        default:
            pool =
                catalog.columns + catalog.functions + Keyword.allCases.map(\.rawValue) + catalog.streams
                + catalog.tables
        }
        return filter(pool, word)
    }

    /// The names SET can change, from a SHOW PROPERTIES result: the rows whose `scope` is SESSION (server-scope
    /// settings are fixed at start-up), or every row when the server lists no scope.
    public static func settableProperties(_ result: ResultSet) -> [String] {
        let scope = result.columns.firstIndex { $0.lowercased() == "scope" }
        return result.rows.compactMap { row in
            guard let name = row.first ?? nil else { return nil }
            guard let scope else { return name }
            return row.indices.contains(scope) && row[scope]?.uppercased() == "SESSION" ? name : nil
        }
    }

    /// The identifier-like word that ends `text` (letters, digits, `_`, `.`, `'`, `\`, `?`).
    public static func currentWord(_ text: String) -> String {
        String(
            text.reversed().prefix {
                $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "'" || $0 == "\\" || $0 == "?"
            }.reversed())
    }

    /// Upper-cased texts of keyword and identifier tokens before the word, so the context is read by the lexer.
    static func previousWords(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var words: [String] = []
        for token in Lexer.tokenize(bytes) {
            switch token.kind {
            case .semicolon: words = []
            case .endOfInput: break
            default: words.append(String(decoding: bytes[token.range], as: UTF8.self).uppercased())
            }
        }
        return words
    }

    static func filter(_ pool: [String], _ word: String) -> [String] {
        let lowercase = !word.isEmpty && word == word.lowercased() && word != word.uppercased()
        var seen = Set<String>()
        return pool.filter { $0.uppercased().hasPrefix(word.uppercased()) && seen.insert($0.uppercased()).inserted }
            .map { lowercase && Keyword(rawValue: $0) != nil ? $0.lowercased() : $0 }
            .sorted()
    }
}
