import SQLSyntax

/// A command the shell handles itself rather than sending to the server: psql's backslash commands and the
/// ksqlDB CLI words (`RUN SCRIPT`, `SPOOL`, `DEFINE`, `OUTPUT`). `\d`-style shortcuts become SQL (`sql`).
public enum MetaCommand: Hashable, Sendable {
    case quit
    case help
    /// `\timing [on|off]`: nil toggles.
    case timing(Bool?)
    /// `\x [on|off]`: nil toggles.
    case expanded(Bool?)
    /// `\i FILE` / `RUN SCRIPT 'FILE'`.
    case include(String)
    /// `\o [FILE]` / `SPOOL FILE|OFF`: nil returns output to stdout.
    case output(String?)
    /// `\set` with no name lists the variables.
    case setVariable(name: String?, value: String)
    case unsetVariable(String)
    case format(OutputFormat)
    /// A shortcut that runs SQL (`\dt` → `SHOW TABLES`).
    case sql([String])
    /// Unknown or malformed; the text is the message to show.
    case invalid(String)

    /// The help text for `\?`.
    public static let helpText = """
        General
          \\q                 quit (Ctrl-D works too)
          \\?                 this help
          \\timing [on|off]   show how long each statement takes
          \\x [on|off]        expanded output (one field per line)
          \\i FILE            run statements from FILE (also RUN SCRIPT 'FILE';)
          \\o [FILE]          send results to FILE, or back to stdout (also SPOOL FILE; / SPOOL OFF;)
          \\set [NAME VALUE]  set or list a variable used as ${NAME} (also DEFINE NAME = 'VALUE';)
          \\unset NAME        remove a variable (also UNDEFINE NAME;)
          OUTPUT TABULAR|JSON|CSV;   choose the result format
        Catalog
          \\d                 SHOW STREAMS and SHOW TABLES
          \\d NAME            DESCRIBE NAME
          \\ds  \\dt  \\dq  \\df  \\dp   SHOW STREAMS / TABLES / QUERIES / FUNCTIONS / PROPERTIES
        Ctrl-C cancels the running query; Ctrl-D on an empty line exits.

        """

    /// Parses a line that starts with `\`. Returns nil when `line` is not a backslash command.
    public static func parseBackslash(_ line: String) -> MetaCommand? {
        let trimmed = line.trimmingCharacters(in: " \t;")
        guard trimmed.hasPrefix("\\") else { return nil }
        let words = trimmed.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let name = words.first else { return .invalid("empty command") }
        let argument = words.dropFirst().joined(separator: " ")
        switch name {
        case "q", "quit": return .quit
        case "?", "h", "help": return .help
        case "timing": return onOff(argument).map(MetaCommand.timing) ?? .invalid("\\timing takes on or off")
        case "x": return onOff(argument).map(MetaCommand.expanded) ?? .invalid("\\x takes on or off")
        case "i", "include": return argument.isEmpty ? .invalid("\\i needs a file name") : .include(argument)
        case "o", "out": return .output(argument.isEmpty ? nil : argument)
        case "set":
            guard words.count > 1 else { return .setVariable(name: nil, value: "") }
            return .setVariable(name: words[1], value: unquote(words.dropFirst(2).joined(separator: " ")))
        case "unset": return words.count == 2 ? .unsetVariable(words[1]) : .invalid("\\unset needs a name")
        case "d": return argument.isEmpty ? .sql(["SHOW STREAMS", "SHOW TABLES"]) : .sql(["DESCRIBE \(argument)"])
        case "ds": return .sql(["SHOW STREAMS"])
        case "dt": return .sql(["SHOW TABLES"])
        case "dq": return .sql(["SHOW QUERIES"])
        case "df": return .sql(["SHOW FUNCTIONS"])
        case "dp": return .sql(["SHOW PROPERTIES"])
        default: return .invalid("invalid command \\\(name); try \\? for help")
        }
    }

    /// Recognises a complete statement (without its `;`) that the shell runs itself: `RUN SCRIPT 'f'`,
    /// `SPOOL f|OFF`, `DEFINE n = 'v'`, `UNDEFINE n`, `OUTPUT TABULAR|JSON|CSV`. Uses the lexer, so quotes and
    /// comments are handled as the server would.
    public static func parseStatement(_ statement: String) -> MetaCommand? {
        let bytes = Array(statement.utf8)
        let tokens = Lexer.tokenize(bytes).filter { $0.kind != .endOfInput }
        func text(_ token: Token) -> String { String(decoding: bytes[token.range], as: UTF8.self) }
        func word(_ index: Int) -> String? { index < tokens.count ? text(tokens[index]).uppercased() : nil }
        switch word(0) {
        case "RUN" where word(1) == "SCRIPT" && tokens.count == 3 && tokens[2].kind == .string:
            return .include(unquote(text(tokens[2])))
        case "SPOOL" where tokens.count >= 2:
            // A file name is not one token (`out.txt` lexes as three), so take the rest of the text.
            let name = String(decoding: bytes[tokens[1].range.lowerBound...], as: UTF8.self).trimmingCharacters(
                in: " \t\n")
            return name.uppercased() == "OFF" ? .output(nil) : .output(unquote(name))
        case "OUTPUT" where tokens.count == 2:
            return OutputFormat(rawValue: word(1) ?? "").map(MetaCommand.format)
                ?? .invalid("OUTPUT takes TABULAR, JSON or CSV")
        case "DEFINE" where tokens.count == 4 && tokens[2].kind == .equal:
            return .setVariable(name: text(tokens[1]), value: unquote(text(tokens[3])))
        case "UNDEFINE" where tokens.count == 2:
            return .unsetVariable(text(tokens[1]))
        default:
            return nil
        }
    }

    private static func onOff(_ argument: String) -> Bool?? {
        switch argument.lowercased() {
        case "": return .some(nil)
        case "on": return .some(true)
        case "off": return .some(false)
        default: return nil
        }
    }

    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.first == "'", text.last == "'" else { return text }
        return String(text.dropFirst().dropLast()).replacing("''", with: "'")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
