// MARK: - Ordering and equality across the loosely typed values catalog queries mix
// (an oid column against a string literal '16384', a char column against 'r', a bool against 't').

extension CatalogValue {
    /// -1 / 0 / 1, or nil when either side is NULL (SQL UNKNOWN).
    static func compare(_ a: CatalogValue, _ b: CatalogValue) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.bool(let x), _): return b.truth.map { x == $0 ? 0 : (!x ? -1 : 1) } ?? textCompare(a, b)
        case (_, .bool): return compare(b, a).map { -$0 }
        case (.array(let x, _), .array(let y, _)): return compareLists(x, y)
        case (.array(let x, _), .text(let s, _)):
            return (try? CatalogArrayLiteral.parse(s)).map {
                compareLists(x, $0.map { $0.map(CatalogValue.text) ?? .null })
            } ?? 1
        case (.text, .array): return compare(b, a).map { -$0 }
        case (.record(_, let x), .record(_, let y)): return compareLists(x, y)
        default: break
        }
        if a.isNumeric || b.isNumeric, let x = a.asDouble, let y = b.asDouble {
            if case .int(let i, _) = a, case .int(let j, _) = b { return i < j ? -1 : (i == j ? 0 : 1) }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        return textCompare(a, b)
    }

    private static func textCompare(_ a: CatalogValue, _ b: CatalogValue) -> Int {
        let x = a.plainText, y = b.plainText
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    private static func compareLists(_ x: [CatalogValue], _ y: [CatalogValue]) -> Int {
        for (l, r) in zip(x, y) {
            switch (l.isNull, r.isNull) {
            case (true, true): continue
            case (true, false): return 1
            case (false, true): return -1
            default: if let c = compare(l, r), c != 0 { return c }
            }
        }
        return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
    }

    /// Text without catalog lookups (names of regclass values are resolved by the executor's `render`).
    var plainText: String {
        switch self {
        case .null, .rows: return ""
        case .bool(let b): return b ? "t" : "f"
        case .int(let v, _): return String(v)
        case .float(let d, _): return CatalogValue.formatDouble(d)
        case .text(let s, _): return s
        case .oid(let v, _): return String(v)
        case .array(let values, _): return "{" + values.map(\.plainText).joined(separator: ",") + "}"
        case .record(_, let values): return "(" + values.map(\.plainText).joined(separator: ",") + ")"
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// A key equal for values SQL's GROUP BY / DISTINCT / UNION treat as equal (1 and 1::oid alike).
    static func groupKey(_ row: [CatalogValue]) -> String {
        row.map { v in
            switch v {
            case .null: return "N"
            case .int, .float, .oid: return "n" + (v.asDouble.map { formatDouble($0) } ?? "")
            case .bool(let b): return b ? "bt" : "bf"
            case .array(let values, _): return "a[" + groupKey(values) + "]"
            case .record(_, let values): return "r(" + groupKey(values) + ")"
            default: return "s" + v.plainText.replacingAll("\u{1}", "\u{1}\u{1}")
            }
        }.joined(separator: "\u{1}|")
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
