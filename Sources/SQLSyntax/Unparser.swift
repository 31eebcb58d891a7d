/// Turns an AST back into canonical SQL text: keywords upper-case, one space between tokens, names quoted
/// with backticks only when they must be, parentheses only where precedence needs them.
///
/// Invariant (tested for every example and test statement): `Parser.parseStatement(Unparser.sql(ast)) == ast`.
/// The canonical text is what EXPLAIN, DESCRIBE … EXTENDED and the command log show.
public struct Unparser {
    var output = ""

    init() { output.reserveCapacity(256) }

    // MARK: - Entry points

    /// A statement without a trailing semicolon.
    public static func sql(_ statement: Statement) -> String {
        var unparser = Unparser()
        unparser.write(statement)
        return unparser.output
    }

    /// A script: each statement followed by `;`, one per line.
    public static func sql(_ statements: [Statement]) -> String {
        statements.map { sql($0) + ";" }.joined(separator: "\n")
    }

    public static func sql(_ query: Query) -> String {
        var unparser = Unparser()
        unparser.write(query)
        return unparser.output
    }

    public static func sql(_ expression: Expr) -> String {
        var unparser = Unparser()
        unparser.write(expression)
        return unparser.output
    }

    public static func sql(_ type: TypeName) -> String {
        var unparser = Unparser()
        unparser.write(type)
        return unparser.output
    }

    // MARK: - Lexemes

    mutating func write(_ text: String) { output += text }

    mutating func write(_ identifier: Identifier) { output += Unparser.quoted(identifier.value) }

    /// A name as SQL text: bare when it reads back as itself, otherwise in backticks.
    public static func quoted(_ name: String) -> String {
        if isBare(name) { return name }
        var text = "`"
        for character in name {
            text.append(character)
            if character == "`" { text.append("`") }
        }
        return text + "`"
    }

    /// Whether a name can be written without quotes: upper-case letters, digits and `_`, not starting with a
    /// digit, and not a keyword (reserved or not, so that it can never be misread in any position).
    static func isBare(_ name: String) -> Bool { isPlainWord(name) && Keyword.lookup(name) == nil }

    /// Upper-case letters, digits and `_`, not starting with a digit: what an unquoted word reads back as.
    static func isPlainWord(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || byte == UInt8(ascii: "_")
            guard isLetter || (!first && Lexer.isDigit(byte)) else { return false }
            first = false
        }
        return !first
    }

    /// A string literal with `'` doubled.
    public static func stringLiteral(_ value: String) -> String {
        var text = "'"
        for character in value {
            text.append(character)
            if character == "'" { text.append("'") }
        }
        return text + "'"
    }

    mutating func write(_ literal: Literal) {
        switch literal {
        case .null: write("NULL")
        case .boolean(let value): write(value ? "TRUE" : "FALSE")
        case .integer(let text), .decimal(let text), .double(let text): write(text)
        case .string(let value): write(Unparser.stringLiteral(value))
        }
    }

    mutating func write(_ duration: WindowDuration) {
        write("\(duration.value) \(duration.value == 1 ? duration.unit.singular : duration.unit.rawValue)")
    }

    /// Writes `items` separated by `, `.
    mutating func writeList<T>(_ items: [T], _ writeItem: (inout Unparser, T) -> Void) {
        for (position, item) in items.enumerated() {
            if position > 0 { write(", ") }
            writeItem(&self, item)
        }
    }

    // MARK: - Types

    mutating func write(_ type: TypeName) {
        switch type.kind {
        case .boolean: write("BOOLEAN")
        case .int: write("INT")
        case .bigint: write("BIGINT")
        case .double: write("DOUBLE")
        case .decimal(let precision, let scale): write("DECIMAL(\(precision), \(scale))")
        case .varchar: write("STRING")
        case .boundedVarchar(let length): write("VARCHAR(\(length))")
        case .bytes: write("BYTES")
        case .date: write("DATE")
        case .time: write("TIME")
        case .timestamp: write("TIMESTAMP")
        case .array(let element):
            write("ARRAY<")
            write(element)
            write(">")
        case .map(let key, let value):
            write("MAP<")
            write(key)
            write(", ")
            write(value)
            write(">")
        case .structure(let fields):
            write("STRUCT<")
            writeList(fields) { unparser, field in
                unparser.write(field.name)
                unparser.write(" ")
                unparser.write(field.type)
            }
            write(">")
        case .named(let name): write(name)
        }
    }
}
