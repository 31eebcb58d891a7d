import ArgumentParser
import LogStorage
import SluiceCore

/// `sluice dump-log`: prints the batches of a segment file with their offsets and CRC validity, like
/// kafka-dump-log.sh. Reads the file only; works while a server runs.
struct DumpLog: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the record batches of a segment file.")
    @Argument(help: "A segment file (<baseOffset>.log).") var file: String
    @Flag(help: "Also print every record's offset, timestamp, key and value.") var printData = false

    func run() throws {
        try reportingErrors {
            let handle: any FileHandle
            do {
                handle = try PosixFileSystem().openFile(file, create: false)
            } catch let error as IOError {
                throw LogError(error)
            }
            defer { handle.close() }
            print("Dumping \(file)")
            let summary = try SegmentDump.dump(handle, printData: printData) { print($0) }
            print("Batches: \(summary.batches), records: \(summary.records), valid bytes: \(summary.validBytes) of \(summary.fileBytes)")
            if summary.validBytes != summary.fileBytes { throw ExitCode(2) }
        }
    }
}
