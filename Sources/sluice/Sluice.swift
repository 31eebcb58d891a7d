import ArgumentParser

/// `sluice`: the server and the tools a Kafka user expects, in one binary.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: a streaming SQL database on a Kafka-compatible log.",
        version: SluiceVersion.string,
        subcommands: [
            Serve.self, ShellCommand.self, Topics.self, ConsumerGroups.self, Produce.self, Consume.self, DumpLog.self, NexmarkCommand.self, Bench.self, Debug.self,
        ])
}

enum SluiceVersion {
    static let string = "0.1.0"
}

/// Options every command that works on a data directory shares.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
    var dataDir = "./sluice-data"

    /// The log lives in `<data-dir>/log` (RocksDB state in `<data-dir>/state`), as `sluice serve` lays it out.
    var logDirectory: String { dataDir + "/log" }
}
