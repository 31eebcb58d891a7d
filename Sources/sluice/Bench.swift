import ArgumentParser
@preconcurrency import Glibc
import LogStorage
import SluiceCore

/// `sluice bench`: benchmarks that print figures. They are measurements, not tests.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run benchmarks and print their figures.", subcommands: [LogBench.self, SQLBench.self, EngineBench.self, NexmarkBench.self, PGWireBench.self])
}

/// The log-storage benchmarks of the log issue: append of pre-encoded batches against dd on the same disk, encoding
/// appends, sequential reads, and recovery after an unclean stop.
struct LogBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Log storage benchmarks.")
    @Option(help: "Scratch directory (removed afterwards).") var dir = "./bench-data"
    @Option(help: "MiB appended by the append and read benchmarks.") var megabytes = 1024
    @Option(help: "Records encoded by the encoding benchmark.") var records = 5_000_000
    @Option(help: "MiB of log for the recovery benchmark.") var recoveryMegabytes = 1024
    @Option(help: "Alternating rounds of the Sluice-vs-dd comparison.") var rounds = 5

    func run() throws {
        let fs = PosixFileSystem()
        try? fs.removeItem(dir)
        try fs.createDirectory(dir)
        defer { try? fs.removeItem(dir) }
        print("sluice bench log: \(megabytes) MiB, CRC-32C \(CRC32C.implementation), dir \(dir)")
        let batch = try Self.preEncodedBatch()
        let batchCount = megabytes << 20 / batch.bytes.count
        // Real producers' batches end anywhere in a page; the last row measures that case against dd writing blocks
        // of the same odd size.
        let ragged = try Self.preEncodedBatch(exact: false)
        let raggedCount = megabytes << 20 / ragged.bytes.count

        for (label, template, count, policy, ddArgs) in [
            ("16 KiB batches, fsync off", batch, batchCount, DurabilityPolicy.operatingSystem, "bs=16384 count=\(batchCount)"),
            ("16 KiB batches, fsync every 1 MiB", batch, batchCount, DurabilityPolicy.interval(messages: nil, bytes: 1 << 20, milliseconds: nil),
             "bs=1M count=\(megabytes) oflag=dsync"),
            ("\(ragged.bytes.count)-byte batches (ending mid-page), fsync off", ragged, raggedCount, DurabilityPolicy.operatingSystem,
             "bs=\(ragged.bytes.count) count=\(raggedCount)"),
        ] {
            // This machine is noisy (page-cache writeback, other processes): alternate Sluice and dd over several
            // rounds and compare the best round of each.
            var sluiceBest = Double.infinity
            var ddBest = Double.infinity
            var cpu = (user: 0.0, system: 0.0)
            for _ in 0..<rounds {
                let (seconds, used) = try appendPreEncoded(template.bytes, count: count, policy: policy)
                if seconds < sluiceBest { cpu = used }
                sluiceBest = min(sluiceBest, seconds)
                ddBest = min(ddBest, try timeCommand("dd if=/dev/zero of=\(dir)/dd.out \(ddArgs) 2>/dev/null"))
                try? fs.removeItem(dir + "/dd.out")
            }
            let bytes = Double(count * template.bytes.count)
            let sluiceMBs = bytes / sluiceBest / 1e6
            let ddMBs = bytes / ddBest / 1e6  // dd writes as many bytes in as many calls
            print("append pre-encoded \(label): \(Int(Double(count * template.records) / sluiceBest)) records/s, \(Int(sluiceMBs)) MB/s; dd (\(ddArgs)): \(Int(ddMBs)) MB/s; ratio Sluice/dd \(String(format2(sluiceMBs / ddMBs))) (best of \(rounds) alternating rounds; Sluice's best round used \(format2(cpu.user)) s user and \(format2(cpu.system)) s system CPU)")
        }

        // The same bytes appended 64 batches per call, as a partition leader that group-commits concurrent produce
        // requests would write them: one write per MiB instead of one per 16 KiB batch (the kernel's cost per write
        // is dominated by the partial last page, whatever the write's size).
        var grouped: [UInt8] = []
        for _ in 0..<64 { grouped += batch.bytes }
        var groupedBest = Double.infinity
        var ddBest = Double.infinity
        for _ in 0..<rounds {
            groupedBest = min(groupedBest, try appendPreEncoded(grouped, count: batchCount / 64, policy: .operatingSystem).seconds)
            ddBest = min(ddBest, try timeCommand("dd if=/dev/zero of=\(dir)/dd.out bs=16k count=\(megabytes * 64) 2>/dev/null"))
            try? fs.removeItem(dir + "/dd.out")
        }
        let groupedMBs = Double(batchCount / 64 * grouped.count) / groupedBest / 1e6
        let ddMBs = Double(megabytes << 20) / ddBest / 1e6
        print("append pre-encoded 16 KiB batches, 64 per call (group commit), fsync off: \(Int(Double(batchCount / 64 * 64 * batch.records) / groupedBest)) records/s, \(Int(groupedMBs)) MB/s; dd: \(Int(ddMBs)) MB/s; ratio Sluice/dd \(format2(groupedMBs / ddMBs))")

        let (encodeSeconds, logBytes) = try appendEncoding(records)
        print("append encoding 100-byte records from key/value pairs (one core): \(Int(Double(records) / encodeSeconds)) records/s, \(Int(Double(logBytes) / encodeSeconds / 1e6)) MB/s")

        let (readSeconds, readBytes) = try readWholeLog()
        print("sequential read of the whole log (page cache): \(Int(Double(readBytes) / readSeconds / 1e6)) MB/s (\(readBytes >> 20) MiB in \(formatSeconds(readSeconds)))")

        let (recoverySeconds, recovered) = try recovery(batch.bytes, megabytes: recoveryMegabytes)
        print("recovery of a \(recovered >> 20) MiB log after an unclean stop (every batch CRC-checked): \(formatSeconds(recoverySeconds))")
    }

    // MARK: - Workloads

    /// A batch of exactly 16 KiB (a whole number of pages, like dd's `bs=16k` blocks) of about 100-byte records: 100-byte
    /// records up to the last, whose value is sized so that the batch ends on the 16 KiB boundary. Appends of
    /// batches that end mid-page cost the kernel about 1.5x more per byte on this machine (dd `bs=16300` against
    /// `bs=16384`), so the comparison with dd must use the same write size on both sides.
    static func preEncodedBatch(exact: Bool = true) throws -> (bytes: [UInt8], records: Int) {
        let target = 16 << 10
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 90)
        var count = 0
        var builder = RecordBatchBuilder()
        // For an exact batch, leave room for a last record of at least 100 bytes and its framing.
        while builder.sizeInBytes + (exact ? 2 : 1) * 112 <= target {
            builder.append(timestamp: 1_700_000_000_000, key: Array(String(count).leftPadded(8).utf8), value: value)
            count += 1
        }
        if !exact { return (try builder.build(), count) }
        let prefix = builder
        for length in stride(from: target - builder.sizeInBytes, through: 0, by: -1) {
            var candidate = prefix
            let last = [UInt8](repeating: UInt8(ascii: "v"), count: length)
            candidate.append(timestamp: 1_700_000_000_000, key: Array(String(count).leftPadded(8).utf8), value: last)
            if candidate.sizeInBytes == target { return (try candidate.build(), count + 1) }
        }
        throw ValidationError("no last-record size makes the batch exactly \(target) bytes")
    }

    func openLog(_ name: String, _ policy: DurabilityPolicy) throws -> (LogManager, TopicPartition) {
        var config = LogConfig()
        config.durability = policy
        let logs = try LogManager(dataDirectory: dir + "/" + name, defaultConfig: config)
        try logs.createTopic("bench", partitions: 1)
        return (logs, TopicPartition("bench", 0))
    }

    func appendPreEncoded(
        _ template: [UInt8], count: Int, policy: DurabilityPolicy
    ) throws -> (seconds: Double, cpu: (user: Double, system: Double)) {
        let (logs, tp) = try openLog("append", policy)
        let log = try logs.partition(tp)
        var batch = template
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        let cpuStart = threadCPU()
        for _ in 0..<count { _ = try log.append(&batch) }
        let cpu = threadCPU()
        let used = (user: cpu.user - cpuStart.user, system: cpu.system - cpuStart.system)
        // Like dd, the fsync-off run ends without a sync; the interval run syncs its tail as dd's dsync does.
        if policy != .operatingSystem { try log.flush() }
        let seconds = Double(clock.monotonicNanoseconds() - start) / 1e9
        try logs.close()
        try PosixFileSystem().removeItem(dir + "/append")
        return (seconds, used)
    }

    func appendEncoding(_ total: Int) throws -> (Double, Int64) {
        let (logs, tp) = try openLog("encode", .operatingSystem)
        let log = try logs.partition(tp)
        var builder = RecordBatchBuilder()
        var key = [UInt8](repeating: UInt8(ascii: "0"), count: 8)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 92)
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        let now = clock.milliseconds()
        try key.withUnsafeMutableBytes { k in
            try value.withUnsafeBytes { v in
                for i in 0..<total {
                    k.storeBytes(of: UInt64(i).bigEndian, as: UInt64.self)
                    builder.append(timestamp: now, key: UnsafeRawBufferPointer(k), value: v)
                    if builder.sizeInBytes >= 16 << 10 {
                        var batch = try builder.build()
                        _ = try log.append(&batch)
                    }
                }
            }
        }
        if !builder.isEmpty {
            var batch = try builder.build()
            _ = try log.append(&batch)
        }
        let seconds = Double(clock.monotonicNanoseconds() - start) / 1e9
        let bytes = log.sizeInBytes
        try logs.close()
        return (seconds, bytes)
    }

    func readWholeLog() throws -> (Double, Int64) {
        let logs = try LogManager(dataDirectory: dir + "/encode")
        let log = try logs.partition(TopicPartition("bench", 0))
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        var offset = log.logStartOffset
        var bytes: Int64 = 0
        while true {
            let read = try log.read(from: offset, maxBytes: 4 << 20)
            if read.records.isEmpty { break }
            bytes += Int64(read.records.count)
            offset = read.records.withUnsafeBytes { raw in
                var position = 0
                var next = offset
                while position < raw.count {
                    let header = RecordBatchHeader(parsing: UnsafeRawBufferPointer(rebasing: raw[position...]))
                    next = header.nextOffset
                    position += header.sizeInBytes
                }
                return next
            }
        }
        let seconds = Double(clock.monotonicNanoseconds() - start) / 1e9
        try logs.close()
        try PosixFileSystem().removeItem(dir + "/encode")
        return (seconds, bytes)
    }

    func recovery(_ template: [UInt8], megabytes: Int) throws -> (Double, Int64) {
        let (logs, tp) = try openLog("recovery", .operatingSystem)
        let log = try logs.partition(tp)
        var batch = template
        for _ in 0..<(megabytes << 20) / template.count { _ = try log.append(&batch) }
        let size = log.sizeInBytes
        logs.abandonForTesting()  // no flush, no checkpoint, no clean-shutdown marker
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        let reopened = try LogManager(dataDirectory: dir + "/recovery")
        let seconds = Double(clock.monotonicNanoseconds() - start) / 1e9
        let recoveredSize = try reopened.partition(tp).sizeInBytes
        guard recoveredSize == size else { throw ValidationError("recovery kept \(recoveredSize) of \(size) bytes") }
        try reopened.close()
        return (seconds, size)
    }

    /// User and system CPU seconds of the calling thread.
    func threadCPU() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD
        return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
                Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    func timeCommand(_ command: String) throws -> Double {
        let clock = SystemClock()
        let start = clock.monotonicNanoseconds()
        guard system(command) == 0 else { throw ValidationError("'\(command)' failed") }
        return Double(clock.monotonicNanoseconds() - start) / 1e9
    }
}

/// Runs `body` with `dir` as an empty scratch directory, removed afterwards.
func withScratchDirectory<T>(_ dir: String, _ body: () throws -> T) throws -> T {
    let fs = PosixFileSystem()
    try? fs.removeItem(dir)
    try fs.createDirectory(dir)
    defer { try? fs.removeItem(dir) }
    return try body()
}

/// Calls per second of `body`, one figure per round of `seconds` (after `warmUp` calls), sorted: this machine's
/// speed drifts by several percent from one second to the next, so benchmarks report the median and the spread.
func measureRates(seconds: Double, rounds: Int, warmUp: Int, checkClockEvery batch: Int, _ body: () throws -> Void) rethrows -> [Double] {
    let clock = SystemClock()
    for _ in 0..<warmUp { try body() }
    var rates: [Double] = []
    for _ in 0..<max(rounds, 1) {
        let start = clock.monotonicNanoseconds()
        var runs = 0
        while Double(clock.monotonicNanoseconds() - start) / 1e9 < seconds {
            for _ in 0..<batch { try body() }
            runs += batch
        }
        rates.append(Double(runs) / (Double(clock.monotonicNanoseconds() - start) / 1e9))
    }
    return rates.sorted()
}

func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    return "\(hundredths / 100).\(String(hundredths % 100).leftPadded(2))"
}
