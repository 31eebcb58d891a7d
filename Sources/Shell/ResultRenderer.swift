/// Renders a `ResultSet` as text: psql-style aligned tables (optionally expanded, one field per line), CSV
/// (RFC 4180) or JSON lines. Pure: no terminal I/O, so every format is tested with golden text.
public struct ResultRenderer: Sendable {
    /// The text shown for SQL NULL in tables (psql shows nothing; Sluice shows a word so NULL ≠ '').
    public var nullText = "NULL"
    /// The terminal's width in columns when output goes to a terminal: aligned tables shrink their widest columns
    /// until each line fits, cutting values with `…`, and expanded rows wrap long values. nil (output piped or
    /// redirected): values are printed whole, as psql prints them.
    public var width: Int?
    /// Whether to dim NULL and bold headers with ANSI escapes (only on a TTY, never with NO_COLOR).
    public var color = false

    /// Narrowest a shrunk column gets (`ab…`); narrower columns keep their own width.
    static let minimumColumnWidth = 3

    public init(nullText: String = "NULL", width: Int? = nil, color: Bool = false) {
        self.nullText = nullText
        self.width = width
        self.color = color
    }

    // MARK: - Aligned table

    /// An aligned table with a header, a rule, the rows and a `(n rows)` footer.
    public func table(_ result: ResultSet) -> String {
        let cells = result.rows.map { row in row.map { cell($0) } }
        var natural = result.columns.map { DisplayWidth.of($0) }
        for row in cells {
            for (index, value) in row.enumerated() where index < natural.count {
                natural[index] = max(natural[index], DisplayWidth.of(value.text))
            }
        }
        let widths = fitted(natural)
        var lines = [headerLine(result.columns, widths), ruleLine(widths)]
        for row in cells { lines.append(rowLine(row, widths)) }
        lines.append(footer(result.rows.count))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Column widths whose line (` a | b `) fits `width`: the widest columns shrink to one common cap, the largest
    /// that fits, so narrow columns stay whole (psql's wrapped format shrinks the same way). Without a width, or
    /// when the line already fits, the natural widths; when even the minimum does not fit, the terminal wraps.
    func fitted(_ natural: [Int]) -> [Int] {
        guard let width, let widest = natural.max() else { return natural }
        let available = width - (3 * natural.count - 1)
        func total(_ cap: Int) -> Int { natural.reduce(0) { $0 + min($1, cap) } }
        guard total(widest) > available else { return natural }
        var low = Self.minimumColumnWidth
        var high = widest
        while low < high {
            let cap = (low + high + 1) / 2
            if total(cap) <= available { low = cap } else { high = cap - 1 }
        }
        var widths = natural.map { min($0, low) }
        var spare = available - widths.reduce(0, +)
        for index in widths.indices where spare > 0 && natural[index] > widths[index] {
            widths[index] += 1
            spare -= 1
        }
        return widths
    }

    /// The header and rule of a streamed (push query) table, printed once before the first row.
    public func streamHeader(_ columns: [String], widths: [Int]) -> String {
        headerLine(columns, widths) + "\n" + ruleLine(widths) + "\n"
    }

    /// One streamed row under the header's `widths`. A live table cannot re-align, so a wider value pushes the
    /// columns after it right; with a terminal width the row's widest values are cut so the line still fits.
    public func streamRow(_ row: [String?], widths: [Int]) -> String {
        let cells = row.map { cell($0) }
        let natural = cells.enumerated().map { index, value in
            max(index < widths.count ? widths[index] : 0, DisplayWidth.of(value.text))
        }
        return rowLine(cells, fitted(natural)) + "\n"
    }

    /// Column widths for a streamed table: the header widths, at least 8 columns each, fitted to the terminal.
    public func streamWidths(_ columns: [String]) -> [Int] {
        fitted(columns.map { max(8, DisplayWidth.of($0)) })
    }

    public func footer(_ count: Int) -> String {
        count == 1 ? "(1 row)" : "(\(count) rows)"
    }

    private struct Cell {
        var text: String
        var isNull: Bool
    }

    /// A value on one line: newlines shown as `↵`, tabs as a space (a table row is one terminal line).
    private func cell(_ value: String?) -> Cell {
        guard let value else { return Cell(text: nullText, isNull: true) }
        return Cell(text: value.replacing("\n", with: "↵").replacing("\t", with: " "), isNull: false)
    }

    private func headerLine(_ columns: [String], _ widths: [Int]) -> String {
        let parts = columns.enumerated().map { index, name in
            let text = DisplayWidth.truncate(name, to: widths[index])
            let padding = widths[index] - DisplayWidth.of(text)
            let centred =
                String(repeating: " ", count: padding / 2) + text + String(repeating: " ", count: padding - padding / 2)
            return " " + (color ? "\u{1B}[1m\(centred)\u{1B}[0m" : centred) + " "
        }
        return trimRight(parts.joined(separator: "|"))
    }

    private func ruleLine(_ widths: [Int]) -> String {
        widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+")
    }

    private func rowLine(_ row: [Cell], _ widths: [Int]) -> String {
        let parts = row.enumerated().map { index, value in
            let width = index < widths.count ? widths[index] : DisplayWidth.of(value.text)
            let padded = DisplayWidth.pad(DisplayWidth.truncate(value.text, to: width), to: width)
            return " " + (color && value.isNull ? "\u{1B}[2m\(padded)\u{1B}[0m" : padded) + " "
        }
        return trimRight(parts.joined(separator: "|"))
    }

    private func trimRight(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }

    // MARK: - Expanded

    /// One `-[ RECORD n ]-` block per row, a `name | value` line per column (psql's `\x`). A value's own lines,
    /// and with a terminal width its parts that do not fit, continue on lines of their own under the value column.
    public func expanded(_ result: ResultSet, firstRecord: Int = 1) -> String {
        guard !result.rows.isEmpty else { return "(0 rows)\n" }
        let nameWidth = result.columns.map { DisplayWidth.of($0) }.max() ?? 0
        let valueWidth = width.map { max(Self.minimumColumnWidth * 4, $0 - nameWidth - 3) }
        var out = ""
        for (index, row) in result.rows.enumerated() {
            out += "-[ RECORD \(firstRecord + index) ]" + String(repeating: "-", count: max(0, nameWidth - 8)) + "\n"
            for (column, value) in zip(result.columns, row) {
                let lines = (value ?? nullText).split(separator: "\n", omittingEmptySubsequences: false).flatMap {
                    DisplayWidth.wrap($0.replacing("\t", with: " "), to: valueWidth)
                }
                for (number, line) in lines.enumerated() {
                    let name = DisplayWidth.pad(number == 0 ? column : "", to: nameWidth)
                    out += trimRight(name + " | " + line) + "\n"
                }
            }
        }
        return out
    }

    // MARK: - CSV and JSON

    /// RFC 4180 CSV: a header line, then rows; NULL is an empty field, '' is `""`.
    public func csv(_ result: ResultSet, header: Bool = true) -> String {
        var out = header ? csvLine(result.columns.map { Optional($0) }, quoteEmpty: false) : ""
        for row in result.rows { out += csvLine(row, quoteEmpty: true) }
        return out
    }

    public func csvLine(_ fields: [String?], quoteEmpty: Bool) -> String {
        fields.map { field -> String in
            guard let field else { return "" }
            if field.isEmpty { return quoteEmpty ? "\"\"" : "" }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacing("\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",") + "\n"
    }

    /// One JSON object per row (JSON lines), values as strings, NULL as `null`.
    public func json(_ result: ResultSet) -> String {
        result.rows.map { jsonLine(result.columns, $0) }.joined()
    }

    public func jsonLine(_ columns: [String], _ row: [String?]) -> String {
        let fields = zip(columns, row).map { name, value in
            Self.jsonString(name) + ":" + (value.map(Self.jsonString) ?? "null")
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
