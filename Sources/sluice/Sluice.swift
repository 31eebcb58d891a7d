import ArgumentParser
import Glibc

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

    static func main() async {
        configureAllocator()
        await main(nil)
    }

    /// glibc serves blocks of 128 KiB and more with a fresh mmap (its threshold grows only when such a block is
    /// freed), so each fetch buffer and batch column of a query step came as new pages: page faults and zeroing
    /// were a tenth of a Nexmark query's time. Blocks up to 32 MiB now come from the heap and are reused, and the
    /// heap is trimmed only when 64 MiB at its top are free.
    static func configureAllocator() {
        // <malloc.h> is not part of Swift's Glibc module: look mallopt up (parameters M_TRIM_THRESHOLD -1 and
        // M_MMAP_THRESHOLD -3, from that header).
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(-3, 32 << 20)
        _ = mallopt(-1, 64 << 20)
    }
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
