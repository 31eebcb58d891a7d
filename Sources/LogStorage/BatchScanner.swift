import SluiceCore

/// Walks the batches of a segment file from a position, reading the file in large chunks (one read call per
/// chunk, not per batch). Stops at the end of `limit`, at a batch that runs past it (a torn tail), or at a
/// batch that fails validation, and tells which.
struct BatchScanner {
    enum Stop: Equatable {
        case end
        case truncated(position: Int64)
        case corrupt(position: Int64, LogError)
    }

    let file: any FileHandle
    let limit: Int64
    var position: Int64
    /// Check each batch's CRC and header fields (recovery, dump-log); otherwise only sizes are read.
    var validate: Bool
    var maxBatchSize: Int
    private var chunk: [UInt8] = []
    private var chunkStart: Int64 = 0

    init(file: any FileHandle, from position: Int64, limit: Int64, validate: Bool, maxBatchSize: Int = Int(Int32.max)) {
        self.file = file
        self.position = position
        self.limit = limit
        self.validate = validate
        self.maxBatchSize = maxBatchSize
    }

    /// Calls `body` with each batch's position, header and bytes (valid during the call) until it returns
    /// false or the scan stops; returns why it stopped.
    mutating func forEach(
        chunkSize: Int = 1 << 20, _ body: (Int64, RecordBatchHeader, UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Stop {
        while position < limit {
            guard limit - position >= Int64(RecordBatchHeader.size) else { return .truncated(position: position) }
            try ensure(Int64(RecordBatchHeader.size), chunkSize: chunkSize)
            let header = chunk.withUnsafeBytes { RecordBatchHeader(parsing: UnsafeRawBufferPointer(rebasing: $0[offsetInChunk...])) }
            let size = Int64(header.sizeInBytes)
            guard header.batchLength >= 49, header.magic == RecordBatchHeader.currentMagic, size <= Int64(maxBatchSize) else {
                if header.batchLength >= 49 && position + size > limit { return .truncated(position: position) }
                return .corrupt(position: position, LogError(.corruptMessage, "bad batch header at position \(position) (magic \(header.magic), length \(header.batchLength))"))
            }
            guard position + size <= limit else { return .truncated(position: position) }
            try ensure(size, chunkSize: chunkSize)
            let start = offsetInChunk
            let keepGoing: Bool
            do {
                keepGoing = try chunk.withUnsafeBytes { raw throws -> Bool in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(size)])
                    if validate { _ = try RecordBatch.validate(bytes, maxBatchSize: maxBatchSize) }
                    return try body(position, header, bytes)
                }
            } catch let error as LogError where error.code == .corruptMessage || error.code == .messageTooLarge {
                return .corrupt(position: position, error)
            }
            position += size
            if !keepGoing { return .end }
        }
        return .end
    }

    private var offsetInChunk: Int { Int(position - chunkStart) }

    /// Makes sure `[position, position + count)` is in the chunk.
    private mutating func ensure(_ count: Int64, chunkSize: Int) throws {
        if position >= chunkStart && position + count <= chunkStart + Int64(chunk.count) { return }
        let want = Int(min(max(count, Int64(chunkSize)), limit - position))
        if chunk.count != want { chunk = [UInt8](repeating: 0, count: want) }
        let got = try chunk.withUnsafeMutableBytes { try file.read(into: $0, at: position) }
        if got < want { chunk.removeLast(want - got) }
        chunkStart = position
        if Int64(got) < count {
            throw LogError(.storageError, "\(file.path) ended at \(position + Int64(got)) while reading a batch at \(position)")
        }
    }
}
