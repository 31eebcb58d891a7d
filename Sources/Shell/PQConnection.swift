import CLibPQ
import Glibc

/// A libpq connection. Not thread-safe: the shell uses it from its one thread; only `CancelToken` is shared
/// with the SIGINT path (PQcancel is documented as safe from a signal handler or another thread).
public final class PQConnection {
    let handle: OpaquePointer

    /// Why a connection attempt failed; `needsPassword` means try again with a password.
    public struct ConnectError: Error, Sendable {
        public var message: String
        public var needsPassword: Bool
    }

    /// Connects with libpq keywords (`host`, `port`, `user`, `dbname`, `password`); `dbname` may be a
    /// postgres:// URL (expand_dbname). What is not given comes from PG* variables, ~/.pgpass and libpq defaults.
    /// Connects with PQconnectStartParams / PQconnectPoll so that verbose errors are on before the server answers:
    /// a refusal then names its SQLSTATE (`FATAL:  28P01: password authentication failed …`).
    public init(parameters: [(String, String)]) throws(ConnectError) {
        let keys = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer { (keys + values).forEach { free($0) } }
        let conn: OpaquePointer? = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                PQconnectStartParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let conn else { throw ConnectError(message: "out of memory", needsPassword: false) }
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE)
        guard Self.finishConnecting(conn, timeoutSeconds: Self.connectTimeout(conn)) else {
            PQfinish(conn)
            throw ConnectError(message: "could not connect: timeout expired", needsPassword: false)
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let error = ConnectError(
                message: Self.connectMessage(PQerrorMessage(conn)), needsPassword: PQconnectionNeedsPassword(conn) == 1)
            PQfinish(conn)
            throw error
        }
        PQsetErrorVerbosity(conn, PQERRORS_DEFAULT)
        handle = conn
    }

    /// Drives PQconnectPoll until the connection is made or has failed, waiting on the socket as libpq asks; false
    /// when `timeoutSeconds` (libpq's connect_timeout; nil waits forever) passed first.
    private static func finishConnecting(_ conn: OpaquePointer, timeoutSeconds: Int?) -> Bool {
        guard PQstatus(conn) != CONNECTION_BAD else { return true }
        let deadline = timeoutSeconds.map { Self.monotonicMilliseconds() + Int64($0) * 1_000 }
        var status = PGRES_POLLING_WRITING
        while status == PGRES_POLLING_READING || status == PGRES_POLLING_WRITING {
            let events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT
            var pfd = pollfd(fd: PQsocket(conn), events: Int16(events), revents: 0)
            let wait = deadline.map { Int32(clamping: max(0, $0 - Self.monotonicMilliseconds())) } ?? -1
            let ready = poll(&pfd, 1, wait)
            if ready < 0, errno != EINTR { return true }
            if ready == 0 && wait >= 0 { return false }
            status = PQconnectPoll(conn)
        }
        return true
    }

    /// The effective connect_timeout (from the URL, the parameters or PGCONNECT_TIMEOUT), with libpq's rule that
    /// anything below 2 seconds means 2; nil when unset or 0 (wait forever).
    static func connectTimeout(_ conn: OpaquePointer) -> Int? {
        guard let options = PQconninfo(conn) else { return nil }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "connect_timeout" {
                guard let value = option.pointee.val, let seconds = Int(String(cString: value)), seconds > 0 else { return nil }
                return max(2, seconds)
            }
            option += 1
        }
        return nil
    }

    private static func monotonicMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// libpq's connection error without the verbose `LOCATION:` lines (the server's source file and line).
    static func connectMessage(_ text: UnsafePointer<CChar>?) -> String {
        trimmed(text).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("LOCATION:") }.joined(separator: "\n")
    }

    deinit { PQfinish(handle) }

    public var serverVersion: String { parameterStatus("server_version") ?? "unknown" }
    public var host: String { PQhost(handle).map { String(cString: $0) } ?? "" }
    public var port: String { PQport(handle).map { String(cString: $0) } ?? "" }
    public var user: String { PQuser(handle).map { String(cString: $0) } ?? "" }
    public var database: String { PQdb(handle).map { String(cString: $0) } ?? "" }
    public var isOK: Bool { PQstatus(handle) == CONNECTION_OK }

    public func parameterStatus(_ name: String) -> String? {
        PQparameterStatus(handle, name).map { String(cString: $0) }
    }

    public func reset() { PQreset(handle) }

    /// A cancel handle for the current backend (PQgetCancel); valid until the connection is closed.
    public func cancelToken() -> CancelToken? { PQgetCancel(handle).map(CancelToken.init) }

    // MARK: - Running a statement

    /// What a statement produced, delivered as it arrives.
    public enum Event {
        case columns([String])
        case row([String?])
        case commandComplete(String)
        case error(ServerError)
    }

    /// Sends `sql` with the simple query protocol in single-row mode, so a push query's rows arrive one by one.
    /// `shouldCancel` is polled while waiting; when it returns true, a cancel request is sent (SQLSTATE 57014).
    public func run(_ sql: String, shouldCancel: () -> Bool, onEvent: (Event) -> Void) {
        guard PQsendQuery(handle, sql) == 1 else {
            onEvent(.error(ServerError(message: Self.trimmed(PQerrorMessage(handle)))))
            return
        }
        PQsetSingleRowMode(handle)
        var sentColumns = false
        var cancelled = false
        while true {
            while PQisBusy(handle) == 1 {
                if !cancelled, shouldCancel() {
                    cancelled = true
                    cancelToken()?.cancel()
                }
                var pfd = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
                _ = poll(&pfd, 1, 100)
                if PQconsumeInput(handle) == 0 {
                    onEvent(.error(ServerError(severity: "FATAL", message: Self.trimmed(PQerrorMessage(handle)))))
                    return
                }
            }
            guard let result = PQgetResult(handle) else { return }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                if !sentColumns {
                    sentColumns = true
                    onEvent(.columns((0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }))
                }
                for row in 0..<PQntuples(result) {
                    onEvent(
                        .row(
                            (0..<PQnfields(result)).map { column in
                                PQgetisnull(result, row, column) == 1
                                    ? nil : String(cString: PQgetvalue(result, row, column))
                            }))
                }
                if PQresultStatus(result) == PGRES_TUPLES_OK {
                    onEvent(.commandComplete(String(cString: PQcmdStatus(result))))
                    sentColumns = false
                }
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                onEvent(.commandComplete(String(cString: PQcmdStatus(result))))
            case PGRES_COPY_OUT:
                readCopy(onEvent)
            default:
                onEvent(.error(Self.error(from: result)))
            }
        }
    }

    /// COPY TO STDOUT rows (how psql sees push queries) are shown as single text lines.
    private func readCopy(_ onEvent: (Event) -> Void) {
        onEvent(.columns(["COPY"]))
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(handle, &buffer, 0)
            guard n > 0, let buffer else { return }
            var line = String(cString: buffer)
            PQfreemem(buffer)
            if line.hasSuffix("\n") { line.removeLast() }
            onEvent(.row([line]))
        }
    }

    static func error(from result: OpaquePointer) -> ServerError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        return ServerError(
            severity: field("S") ?? "ERROR", sqlState: field("C"),
            message: field("M") ?? trimmed(PQresultErrorMessage(result)), detail: field("D"), hint: field("H"),
            position: field("P").flatMap { Int($0) })
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var string = String(cString: text)
        while string.last == "\n" { string.removeLast() }
        return string
    }
}

/// A libpq cancel handle (PGcancel). `@unchecked Sendable`: libpq documents PQcancel as safe to call from other
/// threads and signal handlers, and the handle is only freed in deinit.
public final class CancelToken: @unchecked Sendable {
    let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQfreeCancel(handle) }

    /// Sends the cancel request; the running statement then ends with SQLSTATE 57014.
    @discardableResult public func cancel() -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
    }
}
