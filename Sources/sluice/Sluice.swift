import ArgumentParser

/// `sluice`: the server and the tools a Kafka user expects, in one binary.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: a streaming SQL database on a Kafka-compatible log.",
        version: SluiceVersion.string,
        subcommands: [])
}

enum SluiceVersion {
    static let string = "0.1.0"
}
