import ArgumentParser
import LogStorage
import SluiceCore

/// `sluice topics create|list|describe|delete`, like kafka-topics.sh.
struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, describe and delete topics.", subcommands: [Create.self, List.self, Describe.self, Delete.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a topic.")
        @OptionGroup var options: DataDirectoryOptions
        @Argument(help: "Topic name.") var name: String
        @Option(help: "Number of partitions.") var partitions = 1
        @Option(name: .customLong("config"), help: "A topic config as key=value (repeatable), e.g. cleanup.policy=compact.")
        var configs: [String] = []

        func run() throws {
            var overrides: [String: String] = [:]
            for pair in configs {
                guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--config takes key=value, not '\(pair)'") }
                overrides[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            try reportingErrors {
                let logs = try LogManager(dataDirectory: options.logDirectory)
                defer { try? logs.close() }
                try logs.createTopic(name, partitions: partitions, config: overrides)
                print("Created topic \(name) with \(partitions) partition\(partitions == 1 ? "" : "s").")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topics.")
        @OptionGroup var options: DataDirectoryOptions

        func run() throws {
            try reportingErrors {
                let logs = try LogManager(dataDirectory: options.logDirectory)
                defer { try? logs.close() }
                for name in logs.topicNames { print(name) }
            }
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe topics: partitions, offsets, sizes, configs.")
        @OptionGroup var options: DataDirectoryOptions
        @Argument(help: "Topic names (all topics when none is given).") var names: [String] = []

        func run() throws {
            try reportingErrors {
                let logs = try LogManager(dataDirectory: options.logDirectory)
                defer { try? logs.close() }
                for name in names.isEmpty ? logs.topicNames : names {
                    guard let topic = logs.topic(name) else { throw LogError(.unknownTopicOrPartition, "topic '\(name)' does not exist") }
                    let configs = topic.configOverrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    print("Topic: \(name)\tPartitionCount: \(topic.partitions.count)\tConfigs: \(configs)")
                    for log in topic.partitions {
                        print("\tPartition: \(log.topicPartition.partition)\tLogStartOffset: \(log.logStartOffset)\tLogEndOffset: \(log.logEndOffset)\tHighWatermark: \(log.highWatermark)\tSize: \(log.sizeInBytes)\tSegments: \(log.segmentCount)")
                    }
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a topic and its data.")
        @OptionGroup var options: DataDirectoryOptions
        @Argument(help: "Topic name.") var name: String

        func run() throws {
            try reportingErrors {
                let logs = try LogManager(dataDirectory: options.logDirectory)
                defer { try? logs.close() }
                try logs.deleteTopic(name)
                print("Deleted topic \(name).")
            }
        }
    }
}
