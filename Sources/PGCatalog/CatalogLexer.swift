/// Splits PostgreSQL-dialect SQL into tokens: quoted identifiers keep case, unquoted ones fold to lower case,
/// `E'…'` strings take backslash escapes, `--` and `/* */` comments are skipped (PostgreSQL lexical rules,
/// docs "4.1 Lexical Structure").
struct CatalogLexer {
    private let chars: [Character]
    private var index = 0

    init(_ text: String) {
        chars = Array(text)
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: String) throws(PGCatalogError) -> [CatalogToken] {
        var lexer = CatalogLexer(text)
        var out: [CatalogToken] = []
        while true {
            let token = try lexer.next()
            out.append(token)
            if token.kind == .end { return out }
        }
    }

    private static let operatorChars: Set<Character> = [
        "+", "-", "*", "/", "<", ">", "=", "~", "!", "@", "#", "%", "^", "&", "|", "`", "?",
    ]

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    mutating func next() throws(PGCatalogError) -> CatalogToken {
        try skipBlanks()
        let start = index + 1
        guard let c = peek() else { return CatalogToken(kind: .end, position: start) }
        if (c == "E" || c == "e"), peek(1) == "'" {
            index += 1
            return CatalogToken(kind: .string(try quoted("'", escapes: true, start: start)), position: start)
        }
        if c == "'" {
            return CatalogToken(kind: .string(try quoted("'", escapes: false, start: start)), position: start)
        }
        if c == "\"" {
            let s = try quoted("\"", escapes: false, start: start)
            return CatalogToken(kind: .identifier(s, quoted: true), position: start)
        }
        if c.isLetter || c == "_" {
            return CatalogToken(kind: .identifier(word().lowercased(), quoted: false), position: start)
        }
        if c.isASCII, c.isNumber || (c == "." && peek(1).map { $0.isASCII && $0.isNumber } == true) {
            return CatalogToken(kind: .number(number()), position: start)
        }
        if c == "$", let d = peek(1), d.isASCII, d.isNumber {
            index += 1
            let digits = word()
            guard let n = Int(digits), n > 0, n < 100_000 else { throw .syntax("bad parameter $\(digits)", at: start) }
            return CatalogToken(kind: .parameter(n), position: start)
        }
        return CatalogToken(kind: .symbol(try symbol(start: start)), position: start)
    }

    private mutating func skipBlanks() throws(PGCatalogError) {
        while let c = peek() {
            if c.isWhitespace {
                index += 1
            } else if c == "-", peek(1) == "-" {
                while let d = peek(), d != "\n" { index += 1 }
            } else if c == "/", peek(1) == "*" {
                let start = index + 1
                index += 2
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else { throw .syntax("unterminated /* comment", at: start) }
                    if d == "*", peek(1) == "/" {
                        depth -= 1; index += 2
                    } else if d == "/", peek(1) == "*" {
                        depth += 1; index += 2
                    } else {
                        index += 1
                    }
                }
            } else {
                return
            }
        }
    }

    private mutating func word() -> String {
        var s = ""
        while let c = peek(), c.isLetter || c.isNumber || c == "_" || c == "$" {
            s.append(c)
            index += 1
        }
        return s
    }

    private mutating func number() -> String {
        var s = ""
        while let c = peek(), c.isASCII, c.isNumber || c == "." {
            if c == ".", s.contains(".") { break }
            if c == ".", peek(1) == "." { break }
            s.append(c)
            index += 1
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
            if let d = peek(1 + sign), d.isASCII, d.isNumber {
                s.append("e")
                if sign == 1, let p = peek(1) { s.append(p) }
                index += 1 + sign
                while let c = peek(), c.isASCII, c.isNumber { s.append(c); index += 1 }
            }
        }
        return s
    }

    private mutating func quoted(_ quote: Character, escapes: Bool, start: Int) throws(PGCatalogError) -> String {
        index += 1
        var s = ""
        while true {
            guard let c = peek() else {
                throw .syntax(quote == "'" ? "unterminated quoted string" : "unterminated quoted identifier", at: start)
            }
            index += 1
            if c == quote {
                if peek() == quote { s.append(quote); index += 1; continue }
                return s
            }
            if escapes, c == "\\", let e = peek() {
                index += 1
                s.append(Self.unescape(e))
                continue
            }
            s.append(c)
        }
    }

    private static func unescape(_ c: Character) -> Character {
        switch c {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{8}"
        case "f": return "\u{c}"
        default: return c
        }
    }

    private mutating func symbol(start: Int) throws(PGCatalogError) -> String {
        let c = chars[index]
        if c == ":", peek(1) == ":" { index += 2; return "::" }
        if "(),.[];:".contains(c) { index += 1; return String(c) }
        guard Self.operatorChars.contains(c) else { throw .syntax("syntax error at or near \"\(c)\"", at: start) }
        var op = ""
        while let d = peek(), Self.operatorChars.contains(d) {
            if d == "-", peek(1) == "-", !op.isEmpty { break }
            if d == "/", peek(1) == "*", !op.isEmpty { break }
            op.append(d)
            index += 1
        }
        // A multi-character operator ends in + or - only if it holds one of ~ ! @ # % ^ & | ` ? (PostgreSQL 4.1.3).
        while op.count > 1, op.last == "+" || op.last == "-", !op.contains(where: { "~!@#%^&|`?".contains($0) }) {
            op.removeLast()
            index -= 1
        }
        return op
    }
}
