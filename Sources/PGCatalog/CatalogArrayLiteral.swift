/// PostgreSQL's array text format (`{a,"b c",NULL}`), both directions; docs "8.15.6 Array Input and Output Syntax".
enum CatalogArrayLiteral {
    /// Elements of a one-dimensional array literal (nil = NULL). Nested braces are kept as element text.
    static func parse(_ text: String) throws(PGCatalogError) -> [String?] {
        var chars = Array(text.trimmedSQL)[...]
        guard chars.first == "{", chars.last == "}" else { throw .invalidText(text, type: "array") }
        chars = chars.dropFirst().dropLast()
        var out: [String?] = []
        var current = ""
        var quoted = false, wasQuoted = false, depth = 0
        var sawAny = false
        while let c = chars.popFirst() {
            sawAny = true
            if quoted {
                if c == "\\", let n = chars.popFirst() {
                    current.append(n)
                } else if c == "\"" {
                    quoted = false
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true; wasQuoted = true
            } else if c == "{" {
                depth += 1; current.append(c)
            } else if c == "}" {
                depth -= 1; current.append(c)
            } else if c == ",", depth == 0 {
                out.append(element(current, wasQuoted))
                current = ""; wasQuoted = false
            } else if c == "\\", let n = chars.popFirst() {
                current.append(n)
            } else {
                current.append(c)
            }
        }
        if quoted { throw .invalidText(text, type: "array") }
        if sawAny { out.append(element(current, wasQuoted)) }
        return out
    }

    private static func element(_ s: String, _ quoted: Bool) -> String? {
        let t = quoted ? s : s.trimmedSQL
        return !quoted && t.uppercased() == "NULL" ? nil : t
    }

    /// Formats elements (nil = NULL) with quoting where PostgreSQL quotes.
    static func format(_ elements: [String?], delimiter: String = ",") -> String {
        "{"
            + elements.map { e in
                guard let e else { return "NULL" }
                let needsQuote =
                    e.isEmpty || e.uppercased() == "NULL"
                    || e.contains { "{}\",\\ \t\n\r".contains($0) || String($0) == delimiter }
                guard needsQuote else { return e }
                return "\"" + e.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
            }.joined(separator: delimiter) + "}"
    }
}
