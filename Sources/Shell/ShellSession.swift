@preconcurrency import CLibPQ
@preconcurrency import Glibc
import SQLSyntax

/// Set by the SIGINT handler; the running statement polls it and sends a cancel request.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0

/// The shell: reads statements (interactively through readline, or from -c / -f / stdin), runs them over libpq
/// and prints results. Single-threaded; Ctrl-C only sets a flag, so the connection is never touched from a
/// signal handler.
public final class ShellSession {
    let connection: PQConnection
    let interactive: Bool
    var renderer: ResultRenderer
    var format = OutputFormat.tabular
    var expanded = false
    var timing = false
    var variables: [String: String] = [:]
    var output: UnsafeMutablePointer<FILE> = stdout
    var editor: LineEditor?
    var includeDepth = 0

    init(connection: PQConnection, interactive: Bool, color: Bool) {
        self.connection = connection
        self.interactive = interactive
        self.renderer = ResultRenderer(color: color)
    }

    // MARK: - Entry point

    /// Runs the shell; returns the process exit status (0 ok, 1 a statement failed, 2 cannot connect).
    public static func run(_ options: ShellOptions) -> Int32 {
        let environment = Self.environment()
        let stdinIsTTY = isatty(0) == 1
        var connection: PQConnection
        do {
            connection = try connect(options, environment: environment, password: nil)
        } catch let error where error.needsPassword && stdinIsTTY {
            guard let entered = getpass("Password: ") else { return 2 }
            do {
                connection = try connect(options, environment: environment, password: String(cString: entered))
            } catch {
                printError("sluice shell: could not connect: \(error.message)")
                return 2
            }
        } catch {
            printError("sluice shell: could not connect: \(error.message)")
            return 2
        }
        let batch = !options.commands.isEmpty || !options.files.isEmpty || !stdinIsTTY
        let color = Self.wantsColor(stdoutIsTTY: isatty(1) == 1, environment: environment)
        let session = ShellSession(connection: connection, interactive: !batch, color: color)
        installInterruptHandler()
        if batch { return session.runBatch(options, stdinIsTTY: stdinIsTTY) }
        let history =
            options.historyFile ?? environment["SLUICE_HISTORY"]
            ?? (environment["HOME"].map { $0 + "/.sluice_history" })
        session.editor = LineEditor(historyFile: history)
        LineEditor.takeInterrupt = {
            defer { interruptFlag = 0 }
            return interruptFlag != 0
        }
        session.printBanner(clientVersion: options.clientVersion)
        session.refreshCatalog()
        session.runInteractive()
        return 0
    }

    static func connect(_ options: ShellOptions, environment: [String: String], password: String?) throws(PQConnection
        .ConnectError)
        -> PQConnection
    {
        try PQConnection(parameters: options.connectionParameters(environment: environment, password: password))
    }

    func runBatch(_ options: ShellOptions, stdinIsTTY: Bool) -> Int32 {
        var ok = true
        for command in options.commands where ok || options.continueOnError {
            ok = runScript(command) && ok
        }
        for file in options.files where ok || options.continueOnError {
            ok = runFile(file, continueOnError: options.continueOnError) && ok
        }
        if options.commands.isEmpty, options.files.isEmpty, !stdinIsTTY {
            ok = runScript(Self.readAll(stdin), continueOnError: options.continueOnError) && ok
        }
        fflush(output)
        return ok ? 0 : 1
    }

    func printBanner(clientVersion: String) {
        write("sluice shell \(clientVersion) (libpq \(PQlibVersion()), readline \(LineEditor.readlineVersion))\n")
        write("Connected to \(connection.host):\(connection.port) as \(connection.user), server \(serverName).\n")
        write("Type \\? for help, \\q or Ctrl-D to quit.\n\n")
    }

    /// The server's name and version: Sluice reports `sluice_version` beside the PostgreSQL version it speaks as.
    var serverName: String {
        let postgres = "PostgreSQL " + (connection.parameterStatus("server_version") ?? "(version unknown)")
        return connection.parameterStatus("sluice_version").map { "Sluice \($0) (\(postgres))" } ?? postgres
    }

    // MARK: - Interactive loop

    func runInteractive() {
        var buffer = ""
        while true {
            interruptFlag = 0
            LineEditor.pendingText = buffer.isEmpty ? "" : buffer + "\n"
            LineEditor.abandoned = false
            let prompt = buffer.isEmpty ? "sluice> " : continuationPrompt(buffer)
            guard let line = editor?.readLine(prompt: prompt) else {
                write("\n")
                return
            }
            if LineEditor.abandoned { buffer = "" }
            if buffer.isEmpty, line.trimmingCharacters(in: " \t").hasPrefix("\\") {
                editor?.remember(line)
                if let command = MetaCommand.parseBackslash(line), !perform(command) { return }
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            let split = StatementSplitter.split(buffer)
            guard !split.statements.isEmpty else {
                if split.remainder == nil { buffer = "" }
                continue
            }
            // One history line per statement: readline's history file is line-based, so a multi-line entry would
            // come back as several after a restart. `--` comments need their newlines, so those stay as typed.
            editor?.remember(buffer.contains("--") ? buffer : buffer.split(separator: "\n").joined(separator: " "))
            buffer = split.remainder?.text ?? ""
            for statement in split.statements {
                if !runStatement(statement.text) { break }
                if quitRequested { return }
            }
        }
    }

    var quitRequested = false

    func continuationPrompt(_ buffer: String) -> String {
        let split = StatementSplitter.split(buffer)
        if split.remainderIsUnterminated, let text = split.remainder?.text {
            let quote = text.last(where: { $0 == "'" || $0 == "\"" || $0 == "`" }).map(String.init) ?? "*"
            return "sluice\(quote)> "
        }
        return "sluice-> "
    }

    // MARK: - Scripts

    /// Runs every statement in `script`; stops at the first error unless `continueOnError`. Returns success.
    @discardableResult
    func runScript(_ script: String, continueOnError: Bool = false) -> Bool {
        var ok = true
        var pending = ""
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            if pending.allSatisfy(\.isWhitespace), line.trimmingCharacters(in: " \t").hasPrefix("\\") {
                pending = ""
                guard let command = MetaCommand.parseBackslash(String(line)) else { continue }
                ok = perform(command) && ok
                if quitRequested || (!ok && !continueOnError) { return ok }
                continue
            }
            pending += String(line) + "\n"
            let split = StatementSplitter.split(pending)
            pending = split.remainder?.text ?? ""
            for statement in split.statements {
                ok = runStatement(statement.text) && ok
                if quitRequested || (!ok && !continueOnError) { return ok }
            }
        }
        if !pending.allSatisfy(\.isWhitespace) { ok = runStatement(pending) && ok }
        return ok
    }

    func runFile(_ path: String, continueOnError: Bool = false) -> Bool {
        guard includeDepth < 16 else {
            Self.printError("sluice shell: \\i nested too deeply at \(path)")
            return false
        }
        guard let file = fopen(path, "r") else {
            Self.printError("sluice shell: \(path): \(String(cString: strerror(errno)))")
            return false
        }
        defer { fclose(file) }
        includeDepth += 1
        defer { includeDepth -= 1 }
        return runScript(Self.readAll(file), continueOnError: continueOnError)
    }

    // MARK: - Meta-commands

    /// Performs a shell command; returns false when it failed.
    func perform(_ command: MetaCommand) -> Bool {
        switch command {
        case .quit: quitRequested = true
        case .help: write(MetaCommand.helpText)
        case .timing(let on):
            timing = on ?? !timing
            write("Timing is \(timing ? "on" : "off").\n")
        case .expanded(let on):
            expanded = on ?? !expanded
            write("Expanded display is \(expanded ? "on" : "off").\n")
        case .include(let path): return runFile(path)
        case .output(let path): return redirect(to: path)
        case .setVariable(nil, _):
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) { write("\(name) = '\(value)'\n") }
        case .setVariable(let name?, let value): variables[name] = value
        case .unsetVariable(let name): variables[name] = nil
        case .format(let format):
            self.format = format
            write("Output format is now \(format.rawValue).\n")
        case .sql(let statements):
            return statements.allSatisfy { runStatement($0) }
        case .invalid(let message):
            Self.printError(message)
            return false
        }
        return true
    }

    func redirect(to path: String?) -> Bool {
        if output != stdout { fclose(output) }
        output = stdout
        guard let path else { return true }
        guard let file = fopen(path, "a") else {
            Self.printError("sluice shell: \(path): \(String(cString: strerror(errno)))")
            return false
        }
        output = file
        return true
    }

    // MARK: - Running one statement

    /// Runs one statement (without its `;`); returns false when the server reported an error.
    func runStatement(_ text: String) -> Bool {
        if let command = MetaCommand.parseStatement(text) { return perform(command) }
        var sql = text
        if !variables.isEmpty {
            do { sql = try VariableSubstitution.substitute(text, variables: variables) } catch {
                Self.printError(error.annotated(text))
                return false
            }
        }
        interruptFlag = 0
        renderer.width = output == stdout ? Self.terminalWidth() : nil
        let started = ContinuousClock.now
        let streaming = Self.isPushQuery(sql)
        var columns: [String] = []
        var rows: [[String?]] = []
        var streamWidths: [Int] = []
        var streamedCount = 0
        var failed = false
        connection.run(sql, shouldCancel: { interruptFlag != 0 }) { event in
            switch event {
            case .columns(let names):
                columns = names
                rows = []
                if streaming {
                    streamWidths = renderer.streamWidths(names)
                    if format == .tabular, !expanded { write(renderer.streamHeader(names, widths: streamWidths)) }
                    if format == .csv { write(renderer.csvLine(names, quoteEmpty: false)) }
                    fflush(output)
                }
            case .row(let row):
                if streaming {
                    streamedCount += 1
                    writeStreamed(row, columns: columns, widths: streamWidths, index: streamedCount)
                } else {
                    rows.append(row)
                }
            case .commandComplete(let tag):
                if streaming {
                    if format == .tabular { write(renderer.footer(streamedCount) + "\n") }
                } else if !columns.isEmpty {
                    write(render(ResultSet(columns: columns, rows: rows)))
                    columns = []
                } else if !tag.isEmpty {
                    write(tag + "\n")
                }
            case .error(let error):
                failed = true
                if streaming, error.sqlState == "57014" { write("\n" + renderer.footer(streamedCount) + "\n") }
                fflush(output)
                Self.printError(ErrorRenderer.render(error, statement: sql, color: renderer.color), newline: false)
            }
        }
        if !connection.isOK {
            Self.printError("sluice shell: the connection to the server was lost; reconnecting")
            connection.reset()
        }
        if timing {
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            write("Time: \(String(format3(ms))) ms\n")
        }
        fflush(output)
        if !failed, interactive, Self.changesCatalog(sql) { refreshCatalog() }
        return !failed
    }

    func writeStreamed(_ row: [String?], columns: [String], widths: [Int], index: Int) {
        switch format {
        case .tabular:
            write(
                expanded
                    ? renderer.expanded(ResultSet(columns: columns, rows: [row]), firstRecord: index)
                    : renderer.streamRow(row, widths: widths))
        case .csv: write(renderer.csvLine(row, quoteEmpty: true))
        case .json: write(renderer.jsonLine(columns, row))
        }
        fflush(output)
    }

    func render(_ result: ResultSet) -> String {
        switch format {
        case .tabular: expanded ? renderer.expanded(result) : renderer.table(result)
        case .csv: renderer.csv(result)
        case .json: renderer.json(result)
        }
    }

    func write(_ text: String) {
        fputs(text, output)
    }

    // MARK: - Completion catalog

    /// Refreshes stream, table, column, function and property names for tab completion. Only against Sluice (it
    /// reports `sluice_version`): PostgreSQL has no SHOW STREAMS, and a failed statement inside the user's
    /// transaction would abort it.
    func refreshCatalog() {
        guard connection.parameterStatus("sluice_version") != nil else { return }
        var catalog = LineEditor.catalog
        catalog.streams = firstColumn("SHOW STREAMS")
        catalog.tables = firstColumn("SHOW TABLES")
        catalog.functions = firstColumn("SHOW FUNCTIONS")
        catalog.properties = Completer.settableProperties(quietQuery("SHOW PROPERTIES"))
        var columns: [String] = []
        for relation in (catalog.streams + catalog.tables).prefix(50) {
            columns += firstColumn("DESCRIBE \(relation)")
        }
        catalog.columns = Array(Set(columns)).sorted()
        LineEditor.catalog = catalog
    }

    func firstColumn(_ sql: String) -> [String] {
        quietQuery(sql).rows.compactMap { $0.first ?? nil }
    }

    /// Runs `sql` without printing anything; its rows, or none when it fails.
    func quietQuery(_ sql: String) -> ResultSet {
        var result = ResultSet(columns: [], rows: [])
        connection.run(sql, shouldCancel: { false }) { event in
            switch event {
            case .columns(let names): result.columns = names
            case .row(let row): result.rows.append(row)
            case .error: result = ResultSet(columns: [], rows: [])
            case .commandComplete: break
            }
        }
        return result
    }

    // MARK: - Helpers

    static func isPushQuery(_ sql: String) -> Bool {
        let kinds = Lexer.tokenize(Array(sql.utf8)).map(\.kind)
        return zip(kinds, kinds.dropFirst()).contains { $0 == .keyword(.EMIT) && $1 == .keyword(.CHANGES) }
            && kinds.first == .keyword(.SELECT)
    }

    static func changesCatalog(_ sql: String) -> Bool {
        let first = Lexer.tokenize(Array(sql.utf8)).first?.kind
        return first == .keyword(.CREATE) || first == .keyword(.DROP) || first == .keyword(.ALTER)
    }

    static func printError(_ text: String, newline: Bool = true) {
        fflush(stdout)
        fputs(text + (newline ? "\n" : ""), stderr)
    }

    static func readAll(_ file: UnsafeMutablePointer<FILE>) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The width tables fit, read per statement so that a resize counts.
    static func terminalWidth() -> Int? {
        var size = winsize()
        let columns = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 ? Int(size.ws_col) : 0
        return terminalWidth(stdoutIsTTY: isatty(1) == 1, windowColumns: columns, environment: environment())
    }

    /// When stdout is a terminal: its size (TIOCGWINSZ), else `COLUMNS`. Nil when stdout is not a terminal, so
    /// piped output is never cut (as psql).
    static func terminalWidth(stdoutIsTTY: Bool, windowColumns: Int, environment: [String: String]) -> Int? {
        guard stdoutIsTTY else { return nil }
        if windowColumns > 0 { return windowColumns }
        return environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Colours only on a terminal, never with NO_COLOR set (no-color.org: any value) or TERM=dumb.
    static func wantsColor(stdoutIsTTY: Bool, environment: [String: String]) -> Bool {
        stdoutIsTTY && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptFlag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}

func format3(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
