import Synchronization
import Glibc

/// The real disk, through POSIX calls.
public struct PosixFileSystem: FileSystem {
    public init() {}

    public func openFile(_ path: String, create: Bool) throws -> any FileHandle {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw IOError("open", path: path, errno: errno) }
        return PosixFileHandle(fd: fd, path: path)
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw IOError("opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func createDirectory(_ path: String) throws {
        if isDirectory(path) { return }
        let parent = parentDirectory(of: path)
        if parent != path && parent != "." && parent != "/" && !isDirectory(parent) {
            try createDirectory(parent)
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw IOError("mkdir", path: path, errno: errno) }
    }

    public func removeItem(_ path: String) throws {
        if isDirectory(path) {
            for name in try contentsOfDirectory(path) { try removeItem(path + "/" + name) }
            if rmdir(path) != 0 { throw IOError("rmdir", path: path, errno: errno) }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw IOError("unlink", path: path, errno: errno)
        }
    }

    public func rename(_ source: String, to destination: String) throws {
        let result = Glibc.rename(source, destination)
        if result != 0 { throw IOError("rename", path: source + " -> " + destination, errno: errno) }
    }

    public func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        if fsync(fd) != 0 { throw IOError("fsync", path: path, errno: errno) }
    }
}

/// An open file descriptor. Immutable after init (the descriptor is closed once, in `close` or deinit),
/// and pread/pwrite are safe to call from several threads, hence Sendable.
public final class PosixFileHandle: FileHandle, @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let closed = Atomic<Bool>(false)

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close() }

    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("pwrite", path: path, errno: errno)
            }
            done += n
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("pread", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    public func size() throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IOError("fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    public func truncate(to length: Int64) throws {
        if ftruncate(fd, off_t(length)) != 0 { throw IOError("ftruncate", path: path, errno: errno) }
    }

    public func sync() throws {
        let result = fdatasync(fd)
        if result != 0 { throw IOError("fdatasync", path: path, errno: errno) }
    }

    /// Whether `startWriteback` does anything here (the C library has sync_file_range).
    public static var canStartWriteback: Bool { syncFileRange != nil }

    public func startWriteback(offset: Int64, length: Int64) {
        // Advisory: an error here changes nothing that `sync` does not report.
        _ = syncFileRange?(fd, off_t(offset), off_t(length), syncFileRangeWrite)
    }

    public func close() {
        if closed.exchange(true, ordering: .acquiringAndReleasing) == false { _ = Glibc.close(fd) }
    }
}

/// Linux's sync_file_range, looked up at load time: Glibc's Swift module does not import GNU-only declarations.
/// nil where the C library lacks it (then `startWriteback` does nothing).
private typealias SyncFileRange = @convention(c) (Int32, off_t, off_t, UInt32) -> Int32
private let syncFileRange: SyncFileRange? = dlsym(nil, "sync_file_range").map {
    unsafeBitCast($0, to: SyncFileRange.self)
}
/// SYNC_FILE_RANGE_WRITE in <bits/fcntl-linux.h>: start writeback of the range's dirty pages, without waiting.
private let syncFileRangeWrite: UInt32 = 2
