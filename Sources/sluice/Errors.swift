import ArgumentParser
@preconcurrency import Glibc
import LogStorage

/// Runs a command body, turning the log's errors into one clear line on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LogError {
        printError("sluice: \(error.message) [\(error.code.rawValue)]")
        throw ExitCode.failure
    }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
}
