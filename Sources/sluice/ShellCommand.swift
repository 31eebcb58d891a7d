import ArgumentParser
import Shell

/// `sluice shell`: the interactive SQL shell (readline + libpq) against a Sluice server or any PostgreSQL server.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "Open the interactive SQL shell (or run -c / -f / stdin non-interactively).",
        helpNames: [.long])

    @Argument(help: "A postgres:// URL or libpq conninfo string (default: 127.0.0.1:5433, or PGHOST/PGPORT).")
    var url: String?
    @Option(name: [.customShort("h"), .long], help: "Server host.") var host: String?
    @Option(name: [.customShort("p"), .long], help: "Server port.") var port: String?
    @Option(name: [.customShort("U"), .long], help: "User name.") var user: String?
    @Option(name: [.customShort("d"), .long], help: "Database name.") var dbname: String?
    @Option(name: [.customShort("c"), .long], help: "Run this SQL (may repeat) and exit.") var command: [String] = []
    @Option(name: [.customShort("f"), .long], help: "Run statements from this file (may repeat) and exit.") var file:
        [String] = []
    @Option(name: .long, help: "History file (default: $SLUICE_HISTORY or ~/.sluice_history).") var historyFile: String?
    @Flag(name: .long, help: "Keep going after a failed statement in -c / -f / stdin mode.") var continueOnError = false

    func run() throws {
        var options = ShellOptions()
        options.url = url
        options.host = host
        options.port = port
        options.user = user
        options.database = dbname
        options.commands = command
        options.files = file
        options.historyFile = historyFile
        options.continueOnError = continueOnError
        options.clientVersion = SluiceVersion.string
        let status = ShellSession.run(options)
        if status != 0 { throw ExitCode(status) }
    }
}
