import NIOCore
import PGWire
import SQLEngine
import SluiceCore

/// `COPY name [(column, …)] FROM STDIN [WITH] [(FORMAT text|csv, HEADER [true|false], DELIMITER 'c', NULL 's')]`
/// (and the old `… FROM STDIN CSV HEADER` form): appends the rows psql's `\copy` sends to a stream or table.
struct CopyFromStdin: Equatable {
    var source: String
    var columns: [String]?
    var csv = false
    var header = false
    var delimiter: UInt8 = 0x09
    var null: String = "\\N"

    /// The statement if `text` is a COPY … FROM STDIN; nil for anything else. Malformed options throw 42601.
    static func parse(_ text: String) throws(PGError) -> CopyFromStdin? {
        var tokens = Self.tokens(text)
        guard tokens.count >= 4, tokens[0].uppercased() == "COPY" else { return nil }
        var copy = CopyFromStdin(source: Self.name(tokens[1]))
        tokens.removeFirst(2)
        if tokens.first == "(" {
            var columns: [String] = []
            tokens.removeFirst()
            while let token = tokens.first, token != ")" {
                tokens.removeFirst()
                if token != "," { columns.append(Self.name(token)) }
            }
            guard !tokens.isEmpty else { throw PGError(SQLState.syntaxError, "COPY: unclosed column list") }
            tokens.removeFirst()
            copy.columns = columns
        }
        guard tokens.count >= 2, tokens[0].uppercased() == "FROM", tokens[1].uppercased() == "STDIN" else { return nil }
        tokens.removeFirst(2)
        var options: [(String, String?)] = []
        if tokens.first?.uppercased() == "WITH" { tokens.removeFirst() }
        if tokens.first == "(" {
            tokens.removeFirst()
            var current: [String] = []
            while let token = tokens.first {
                tokens.removeFirst()
                if token == "," || token == ")" {
                    if let option = current.first { options.append((option.uppercased(), current.count > 1 ? current[1] : nil)) }
                    current = []
                    if token == ")" { break }
                } else {
                    current.append(token)
                }
            }
        } else {
            // The pre-9.0 form: CSV, HEADER, DELIMITER [AS] 'c', NULL [AS] 's'.
            while let token = tokens.first {
                tokens.removeFirst()
                let option = token.uppercased()
                if option == "AS" || option == ";" { continue }
                if option == "DELIMITER" || option == "NULL" {
                    if tokens.first?.uppercased() == "AS" { tokens.removeFirst() }
                    options.append((option, tokens.first))
                    if !tokens.isEmpty { tokens.removeFirst() }
                } else {
                    options.append((option == "CSV" ? "FORMAT" : option, option == "CSV" ? "csv" : nil))
                }
            }
        }
        for (option, value) in options {
            let unquoted = value.map(Self.unquote)
            switch option {
            case "FORMAT":
                switch unquoted?.lowercased() {
                case "csv": copy.csv = true; copy.delimiter = 0x2C; if copy.null == "\\N" { copy.null = "" }
                case "text": copy.csv = false
                default: throw PGError(SQLState.featureNotSupported, "COPY FROM STDIN reads FORMAT text or csv, not \(value ?? "nothing")")
                }
            case "HEADER":
                copy.header = unquoted.map { ["true", "on", "1"].contains($0.lowercased()) } ?? true
            case "DELIMITER":
                guard let d = unquoted, d.utf8.count == 1 else { throw PGError(SQLState.syntaxError, "COPY DELIMITER must be one character") }
                copy.delimiter = d.utf8.first!
            case "NULL":
                copy.null = unquoted ?? ""
            default:
                throw PGError(SQLState.featureNotSupported, "COPY option \(option) is not supported")
            }
        }
        return copy
    }

    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quote: Character?
        for c in text {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                current.append(c)
                quote = c
            } else if c.isWhitespace || c == "(" || c == ")" || c == "," || c == ";" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if !c.isWhitespace { tokens.append(String(c)) }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// An identifier as the catalog names it: quoted keeps its case, unquoted is upper-cased.
    private static func name(_ token: String) -> String {
        token.first == "\"" || token.first == "`" ? String(token.dropFirst().dropLast()) : token.uppercased()
    }

    private static func unquote(_ token: String) -> String {
        token.first == "'" ? String(token.dropFirst().dropLast()).replacingQuotes() : token
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        var previousQuote = false
        for c in self {
            if c == "'" && previousQuote {
                previousQuote = false
                continue
            }
            previousQuote = c == "'"
            out.append(c)
        }
        return out
    }
}

/// Receives COPY data, cuts it into rows (text: tab-separated with backslash escapes, `\N` NULL; CSV: quoted fields
/// that may span lines, empty unquoted NULL), and appends them to the source in batches of 1,000 rows.
final class CopyInSink: PGCopyInSink, @unchecked Sendable {
    // @unchecked: the connection delivers CopyData, CopyDone and CopyFail one at a time, in order.
    private let engine: SQLEngine
    private let copy: CopyFromStdin
    private let columns: [String]
    private var pending: [UInt8] = []
    private var rows: [[String?]] = []
    private var line = 0
    private var firstLineOfBatch = 1
    private var appended = 0
    private var ended = false

    init(engine: SQLEngine, copy: CopyFromStdin, columns: [String]) {
        self.engine = engine
        self.copy = copy
        self.columns = columns
    }

    func receive(_ data: ByteBuffer) async throws {
        pending.append(contentsOf: data.readableBytesView)
        try cutRows(final: false)
        if rows.count >= 1_000 { try flush() }
    }

    func finish() async throws -> String {
        try cutRows(final: true)
        try flush()
        return "COPY \(appended)"
    }

    func fail(_ message: String) async {
        rows.removeAll()
        pending.removeAll()
    }

    private func flush() throws {
        guard !rows.isEmpty else { return }
        do {
            appended += try engine.appendText(to: copy.source, columns: columns, rows: rows, firstLine: firstLineOfBatch)
        } catch {
            throw PGError(error.sqlState, "COPY \(copy.source): \(error.message)", hint: error.hint)
        }
        rows.removeAll(keepingCapacity: true)
        firstLineOfBatch = line + 1
    }

    /// Takes every complete row out of `pending` (all of it at the end of the data).
    private func cutRows(final: Bool) throws {
        var start = 0
        var i = 0
        var inQuotes = false
        while i < pending.count {
            let byte = pending[i]
            if copy.csv && byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n") && !inQuotes {
                try row(pending[start..<i])
                start = i + 1
            }
            i += 1
        }
        if final && start < pending.count {
            try row(pending[start..<pending.count])
            start = pending.count
        }
        pending.removeFirst(start)
    }

    private func row(_ bytes: ArraySlice<UInt8>) throws {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        line += 1
        if ended { return }
        if !copy.csv && bytes.elementsEqual("\\.".utf8) {
            ended = true
            return
        }
        if copy.header && line == 1 {
            firstLineOfBatch = 2
            return
        }
        if bytes.isEmpty && columns.count != 1 { return }
        rows.append(copy.csv ? csvFields(bytes) : textFields(bytes))
    }

    private func textFields(_ bytes: ArraySlice<UInt8>) -> [String?] {
        var fields: [String?] = []
        var field: [UInt8] = []
        var escaped = false
        var raw: [UInt8] = []
        func end() {
            fields.append(String(decoding: raw, as: UTF8.self) == copy.null ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll()
            raw.removeAll()
        }
        for byte in bytes {
            if escaped {
                raw.append(byte)
                switch byte {
                case UInt8(ascii: "t"): field.append(0x09)
                case UInt8(ascii: "n"): field.append(0x0A)
                case UInt8(ascii: "r"): field.append(0x0D)
                case UInt8(ascii: "b"): field.append(0x08)
                case UInt8(ascii: "f"): field.append(0x0C)
                case UInt8(ascii: "v"): field.append(0x0B)
                default: field.append(byte)
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                raw.append(byte)
                escaped = true
            } else if byte == copy.delimiter {
                end()
            } else {
                raw.append(byte)
                field.append(byte)
            }
        }
        end()
        return fields
    }

    private func csvFields(_ bytes: ArraySlice<UInt8>) -> [String?] {
        var fields: [String?] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var previousQuote = false
        for byte in bytes {
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    previousQuote = true
                } else {
                    field.append(byte)
                }
                continue
            }
            if byte == UInt8(ascii: "\"") {
                if previousQuote { field.append(byte) }  // "" inside quotes
                inQuotes = true
                quoted = true
                previousQuote = false
                continue
            }
            previousQuote = false
            if byte == copy.delimiter {
                let text = String(decoding: field, as: UTF8.self)
                fields.append(!quoted && text == copy.null ? nil : text)
                field.removeAll()
                quoted = false
            } else {
                field.append(byte)
            }
        }
        let text = String(decoding: field, as: UTF8.self)
        fields.append(!quoted && text == copy.null ? nil : text)
        return fields
    }
}
