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
        let connection: PQConnection
        do {
            connection = try PQConnection(parameters: options.connectionParameters(environment: ShellSession.environment()))
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
        if let group, !Self.groupNames(columns: columns, rows: rows).contains(group) {
            fputs("Error: Consumer group '\(group)' does not exist.\n", stderr)
            throw ExitCode(1)
        }
    }

    /// The groups in SHOW CONSUMER GROUPS' rows, in order, each once.
    static func groupNames(columns: [String], rows: [[String?]]) -> [String] {
        guard let column = columns.firstIndex(where: { $0.lowercased() == "group" }) else { return [] }
        var seen = Set<String>()
        return rows.compactMap { $0[column] }.filter { seen.insert($0).inserted }
    }

    /// Kafka's layout: a header, then one line per partition; `-` for what is unknown. Columns are found by the
    /// names SHOW CONSUMER GROUPS gives them (group, topic, partition, current offset, …).
    static func render(columns: [String], rows: [[String?]], list: Bool, group: String?) -> String {
        func index(_ name: String) -> Int? { columns.firstIndex { $0.lowercased() == name.lowercased() } }
        guard let groupColumn = index("Group"), let topicColumn = index("Topic") else { return "" }
        let selected = rows.filter { group == nil || $0[groupColumn] == group }
        if list { return groupNames(columns: columns, rows: selected).map { $0 + "\n" }.joined() }
        let layout = [("GROUP", "Group"), ("TOPIC", "Topic"), ("PARTITION", "Partition"), ("CURRENT-OFFSET", "Current Offset"),
                      ("LOG-END-OFFSET", "Log End Offset"), ("LAG", "Lag"), ("CONSUMER-ID", "Consumer ID"), ("HOST", "Host"),
                      ("CLIENT-ID", "Client ID")]
        let picked = layout.map { index($0.1) }
        let lines = [layout.map(\.0)] + selected.filter { $0[topicColumn] != nil }.map { row in picked.map { $0.flatMap { row[$0] } ?? "-" } }
        var widths = Array(repeating: 0, count: layout.count)
        for line in lines { for (column, cell) in line.enumerated() { widths[column] = max(widths[column], cell.count) } }
        var output = ""
        for line in lines {
            output += line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 1)
            }.joined() + "\n"
        }
        for row in selected where row[topicColumn] == nil {
            output += "\nConsumer group '\(row[groupColumn] ?? "")' has no active members and no committed offsets.\n"
        }
        return output
    }
}
