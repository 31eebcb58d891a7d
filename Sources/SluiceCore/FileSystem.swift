/// The disk, as the log sees it. Injected so that tests can make writes fail (disk full, I/O error) at
/// chosen points and check that nothing half-written becomes visible. Calls are per batch or per file,
/// never per record.
public protocol FileSystem: Sendable {
    /// Opens a file for reading and writing, creating it when `create` is true.
    func openFile(_ path: String, create: Bool) throws -> any FileHandle
    /// Names (not paths) of the entries of a directory.
    func contentsOfDirectory(_ path: String) throws -> [String]
    /// Creates a directory and its missing parents.
    func createDirectory(_ path: String) throws
    /// Removes a file, or a directory and everything in it.
    func removeItem(_ path: String) throws
    /// Atomically replaces `destination` with `source` (rename(2)).
    func rename(_ source: String, to destination: String) throws
    func fileExists(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// fsyncs a directory, making renames and creations in it durable.
    func syncDirectory(_ path: String) throws
}

/// An open file. Positional reads and writes only, so one handle serves concurrent readers.
public protocol FileHandle: AnyObject, Sendable {
    var path: String { get }
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws
    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
    func size() throws -> Int64
    func truncate(to length: Int64) throws
    /// fdatasync: data and the metadata needed to read it back.
    func sync() throws
    /// Starts writing `length` bytes at `offset` to the device without waiting (Linux's sync_file_range with
    /// SYNC_FILE_RANGE_WRITE), so that a later `sync` finds less to write. Durability still comes only from `sync`.
    func startWriteback(offset: Int64, length: Int64)
    func close()
}

extension FileHandle {
    public func startWriteback(offset: Int64, length: Int64) {}
}

extension FileSystem {
    /// Writes a small file so that a crash leaves either the old or the new contents: write a temporary
    /// file, fsync it, rename it over the old one, fsync the directory.
    public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let file = try openFile(temporary, create: true)
        do {
            try file.truncate(to: 0)
            try bytes.withUnsafeBytes { (buffer) throws in try file.write(buffer, at: 0) }
            try file.sync()
        } catch {
            file.close()
            throw error
        }
        file.close()
        try rename(temporary, to: path)
        try syncDirectory(parentDirectory(of: path))
    }

    /// The whole contents of a file, or nil when it does not exist.
    public func readFile(_ path: String) throws -> [UInt8]? {
        guard fileExists(path) else { return nil }
        let file = try openFile(path, create: false)
        defer { file.close() }
        let size = Int(try file.size())
        var bytes = [UInt8](repeating: 0, count: size)
        let read = try bytes.withUnsafeMutableBytes { (buffer) throws in try file.read(into: buffer, at: 0) }
        bytes.removeLast(size - read)
        return bytes
    }
}

/// The directory part of a path ("." when there is none).
public func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
