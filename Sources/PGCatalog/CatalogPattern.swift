/// LIKE / ILIKE matching (`%`, `_`, backslash escape) and PostgreSQL regular expressions via Swift `Regex`
/// (ARE syntax used by psql — anchors, groups, alternation, classes, `.*` — is a subset both accept).
enum CatalogPattern {
    static func like(_ text: String, _ pattern: String, caseInsensitive: Bool) -> Bool {
        let t = Array(caseInsensitive ? text.lowercased() : text)
        var p: [(Character, Bool)] = []  // (char, isLiteral)
        var chars = Array(caseInsensitive ? pattern.lowercased() : pattern)[...]
        while let c = chars.popFirst() {
            if c == "\\", let n = chars.popFirst() { p.append((n, true)) } else { p.append((c, false)) }
        }
        // Iterative wildcard match with backtracking on the last %.
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, !p[pi].1, p[pi].0 == "%" {
                star = pi; mark = ti; pi += 1
            } else if pi < p.count, p[pi].1 || p[pi].0 != "%", (!p[pi].1 && p[pi].0 == "_") || p[pi].0 == t[ti] {
                ti += 1; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, !p[pi].1, p[pi].0 == "%" { pi += 1 }
        return pi == p.count
    }

    /// Translates the PostgreSQL-only escapes into Swift Regex syntax.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var chars = pattern[...]
        while let c = chars.popFirst() {
            guard c == "\\", let n = chars.first else { out.append(c); continue }
            chars.removeFirst()
            switch n {
            case "m": out += "\\b(?=\\w)"
            case "M": out += "\\b(?<=\\w)"
            case "y": out += "\\b"
            case "Y": out += "\\B"
            default: out.append(c); out.append(n)
            }
        }
        return out
    }
}
