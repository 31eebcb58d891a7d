import ArgumentParser
@preconcurrency import Glibc
import Shell

/// `sluice consumer-groups`: Kafka's `kafka-consumer-groups.sh --list / --describe` against a running server. It
/// asks the server over its PostgreSQL port (`SHOW CONSUMER GROUPS`), so it sees live members as well as offsets.
struct ConsumerGroups: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer-groups", abstract: "List consumer groups, or describe their offsets and lag per partition.",
        discussion: "Like kafka-consumer-groups.sh: --list prints the group names; --describe prints, per partition, the committed offset, the log-end offset, the lag and the owning member. It connects to the server's PostgreSQL port (PGHOST/PGPORT/PGUSER honoured).",
        helpNames: [.long])

    @Flag(help: "Print the group names.") var list = false
    @Flag(help: "Print offsets and lag per partition.") var describe = false
    @Option(help: "Only this group (with --describe).") var group: String?
    @Option(name: [.customShort("h"), .long], help: "Server host (default 127.0.0.1).") var host: String?
    @Option(name: [.customShort("p"), .long], help: "Server PostgreSQL port (default 5433).") var port: String?
    @Option(name: [.customShort("U"), .long], help: "User name.") var user: String?

    func validate() throws {
        guard list != describe else { throw ValidationError("give exactly one of --list and --describe") }
    }

    func run() throws {
        var options = ShellOptions()
        options.host = host
        options.port = port
        options.user = user
        var environment: [String: String] = [:]
        for name in ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGPASSFILE", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        let connection: PQConnection
        do {
            connection = try PQConnection(parameters: options.connectionParameters(environment: environment))
        } catch {
            fputs("sluice consumer-groups: \(error.message)\n", stderr)
            throw ExitCode(2)
        }
        var columns: [String] = []
        var rows: [[String?]] = []
        var failure: String?
        connection.run("SHOW CONSUMER GROUPS", shouldCancel: { false }) { event in
            switch event {
            case .columns(let names): columns = names
            case .row(let row): rows.append(row)
            case .error(let error): failure = "\(error.sqlState.map { "\($0): " } ?? "")\(error.message)"
            case .commandComplete: break
            }
        }
        if let failure {
            fputs("sluice consumer-groups: \(failure)\n", stderr)
            throw ExitCode(1)
        }
        print(Self.render(columns: columns, rows: rows, list: list, group: group), terminator: "")
        if let group, !rows.contains(where: { $0.first == group }) {
            fputs("Error: Consumer group '\(group)' does not exist.\n", stderr)
            throw ExitCode(1)
        }
    }

    /// Kafka's layout: a header, then one line per partition; `-` for what is unknown.
    static func render(columns: [String], rows: [[String?]], list: Bool, group: String?) -> String {
        let selected = rows.filter { group == nil || $0.first == group }
        if list {
            var seen = Set<String>()
            return selected.compactMap { $0.first ?? nil }.filter { seen.insert($0).inserted }.map { $0 + "\n" }.joined()
        }
        // SHOW CONSUMER GROUPS: Group, State, Topic, Partition, Current Offset, Log End Offset, Lag, Consumer ID, Host, Client ID
        let header = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"]
        let picked = [0, 2, 3, 4, 5, 6, 7, 8, 9]
        let lines = [header] + selected.filter { $0.count == columns.count && $0[2] != nil }.map { row in picked.map { row[$0] ?? "-" } }
        var widths = Array(repeating: 0, count: header.count)
        for line in lines { for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var output = ""
        for line in lines {
            output += line.enumerated().map { index, cell in
                index == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 1)
            }.joined() + "\n"
        }
        for row in selected where row.count == columns.count && row[2] == nil {
            output += "\nConsumer group '\(row[0] ?? "")' has no active members and no committed offsets.\n"
        }
        return output
    }
}
