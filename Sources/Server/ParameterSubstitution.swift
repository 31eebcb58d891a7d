import PGWire

/// Extended-protocol parameters (`$1`, `$2`, …) become SQL literals in the statement text before it runs: the
/// engine plans each execution anyway, and literals let the planner type the values from context. Placeholders
/// inside quotes, quoted identifiers and comments are left alone.
enum ParameterSubstitution {
    /// The highest `$n` in `sql`.
    static func parameterCount(_ sql: String) -> Int {
        var highest = 0
        scan(sql) { n, _ in highest = max(highest, n) }
        return highest
    }

    /// The types of parameters written with a cast to a built-in type (`$1::oid[]`, `$2::int8`), by number, as
    /// PostgreSQL infers them: a driver then encodes the value as that type (asyncpg sends a list for `oid[]`).
    static func castTypes(_ sql: String) -> [Int: UInt32] {
        var types: [Int: UInt32] = [:]
        scan(sql) { n, range in
            guard types[n] == nil, sql[range.upperBound...].hasPrefix("::") else { return }
            let rest = sql[sql.index(range.upperBound, offsetBy: 2)...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }.lowercased()
            guard let type = PGType.builtins.first(where: { $0.name == name }) else { return }
            types[n] = rest.dropFirst(name.count).hasPrefix("[]") && type.arrayOID != 0 ? type.arrayOID : type.oid
        }
        return types
    }

    static func substitute(_ sql: String, values: [String]) -> String {
        var out = ""
        var last = sql.startIndex
        scan(sql) { n, range in
            out += sql[last..<range.lowerBound]
            out += n - 1 < values.count ? values[n - 1] : "NULL"
            last = range.upperBound
        }
        out += sql[last...]
        return out
    }

    /// A bound value as SQL text.
    static func literal(_ cell: PGCell) -> String {
        switch cell {
        case .null: return "NULL"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .int2(let v): return signed(String(v))
        case .int4(let v): return signed(String(v))
        case .int8(let v): return signed(String(v))
        case .float4(let v): return v.isFinite ? signed("\(v)") : "'\(v)'"
        case .float8(let v): return v.isFinite ? signed("\(v)") : "'\(v)'"
        case .numeric(let text): return signed(text)
        default: return "'" + (cell.textValue ?? "").replacing("'", with: "''") + "'"
        }
    }

    /// A negative number in parentheses: `$1::text` with -5 must read `(-5)::text`, since `::` binds tighter than
    /// unary minus (and -9223372036854775808 alone would overflow before the minus applies).
    private static func signed(_ text: String) -> String { text.hasPrefix("-") ? "(" + text + ")" : text }

    /// Calls `found` for every `$n` outside strings, quoted identifiers and comments.
    private static func scan(_ sql: String, _ found: (Int, Range<String.Index>) -> Void) {
        var i = sql.startIndex
        while i < sql.endIndex {
            let c = sql[i]
            switch c {
            case "'", "\"", "`":
                i = sql.index(after: i)
                while i < sql.endIndex && sql[i] != c { i = sql.index(after: i) }
                if i < sql.endIndex { i = sql.index(after: i) }
            case "-" where sql[i...].hasPrefix("--"):
                while i < sql.endIndex && sql[i] != "\n" { i = sql.index(after: i) }
            case "/" where sql[i...].hasPrefix("/*"):
                if let end = sql[i...].firstRange(of: "*/") { i = end.upperBound } else { i = sql.endIndex }
            case "$":
                var j = sql.index(after: i)
                var digits = ""
                while j < sql.endIndex, let d = sql[j].wholeNumberValue, sql[j].isASCII {
                    digits.append(Character(String(d)))
                    j = sql.index(after: j)
                }
                if let n = Int(digits), n > 0 { found(n, i..<j) }
                i = j > sql.index(after: i) ? j : sql.index(after: i)
            default:
                i = sql.index(after: i)
            }
        }
    }
}
