import ArgumentParser
import Broker
@preconcurrency import Glibc
import LogStorage
import SluiceCore
import Synchronization

/// Set by SIGINT/SIGTERM; the serve loop polls it.
private let stopRequested = Atomic<Bool>(false)

/// `sluice serve`: runs a single node on its data directory.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Sluice node on a data directory.",
        discussion: "Opens the data directory (recovering every partition after an unclean stop), loads committed consumer offsets, and runs flushing, retention and checkpoints until SIGINT or SIGTERM, then shuts down cleanly. The PostgreSQL-wire (5433) and Kafka-wire (9092) listeners and the SQL engine are not built yet.")
    @OptionGroup var options: DataDirectoryOptions
    @Option(help: "Durability of appends: every-batch (fsync before acknowledging), interval:<ms> (fsync at most <ms> after an append), or os (the kernel decides, Kafka's default).")
    var flush = "os"
    @Option(help: "Seconds between maintenance passes (flush, retention, checkpoints).") var maintenanceInterval = 5.0

    func run() throws {
        var defaults = LogConfig()
        defaults.durability = try Self.durability(flush)
        try reportingErrors {
            let started = SystemClock().monotonicNanoseconds()
            let logs = try LogManager(dataDirectory: options.dataDir, defaultConfig: defaults)
            let offsets = try ConsumerOffsetStore(logs: logs)
            let elapsed = Double(SystemClock().monotonicNanoseconds() - started) / 1e9
            let userTopics = logs.topicNames.filter { !$0.hasPrefix("__") }
            print("sluice \(SluiceVersion.string): data directory \(options.dataDir), \(userTopics.count) topic(s), \(offsets.groups.count) consumer group(s); opened in \(formatSeconds(elapsed)) after \(logs.openedAfterCleanShutdown ? "a clean shutdown" : "an unclean stop (recovery scan)")")
            print("sluice: log ready; network listeners are not built yet. Stop with Ctrl-C.")
            fflush(stdout)
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
            var nextMaintenance = SystemClock().monotonicNanoseconds()
            while !stopRequested.load(ordering: .relaxed) {
                if SystemClock().monotonicNanoseconds() >= nextMaintenance {
                    try logs.runMaintenance()
                    nextMaintenance += UInt64(maintenanceInterval * 1e9)
                }
                usleep(100_000)
            }
            try logs.close()
            print("sluice: shut down cleanly")
        }
    }

    static func durability(_ text: String) throws -> DurabilityPolicy {
        if text == "every-batch" { return .everyBatch }
        if text == "os" { return .operatingSystem }
        if text.hasPrefix("interval:"), let ms = Int64(text.dropFirst("interval:".count)), ms > 0 {
            return .interval(messages: nil, bytes: nil, milliseconds: ms)
        }
        throw ValidationError("--flush takes every-batch, interval:<ms> or os, not '\(text)'")
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return ms < 1000 ? "\(ms) ms" : "\(ms / 1000).\(String(ms % 1000 / 10).leftPadded(2)) s"
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
