import SluiceCore

/// Kafka's leader-epoch → start-offset cache (`LeaderEpochFileCache`, KIP-101): for every leader epoch, the first
/// offset that leader appended. Followers truncate to the end offset of their last epoch as the leader knows it,
/// never to their own high watermark. Persisted to `leader-epoch-checkpoint` in Kafka's text format (a version
/// line, a count line, then `epoch startOffset` lines), replaced atomically on every change.
final class LeaderEpochCache {
    struct Entry: Equatable {
        var epoch: LeaderEpoch
        var startOffset: Offset
    }

    static let fileName = "leader-epoch-checkpoint"
    private let path: String
    private let fileSystem: any FileSystem
    private(set) var entries: [Entry] = []

    init(directory: String, fileSystem: any FileSystem) throws {
        path = directory + "/" + Self.fileName
        self.fileSystem = fileSystem
        if let bytes = try fileSystem.readFile(path) { entries = Self.parse(bytes) ?? [] }
    }

    var latestEpoch: LeaderEpoch? { entries.last?.epoch }

    /// Records that `epoch` starts at `startOffset`, if it is newer than the latest known epoch.
    func assign(epoch: LeaderEpoch, startOffset: Offset) throws {
        guard epoch >= 0, epoch > (entries.last?.epoch ?? -1) else { return }
        entries.removeAll { $0.startOffset >= startOffset }
        entries.append(Entry(epoch: epoch, startOffset: startOffset))
        try persist()
    }

    /// The largest epoch ≤ `epoch` and the offset where it ended: the next epoch's start, or `logEndOffset`
    /// for the latest. (-1, -1) when the log knows no epoch ≤ `epoch` (Kafka's UNDEFINED).
    func endOffset(for epoch: LeaderEpoch, logEndOffset: Offset) -> (epoch: LeaderEpoch, endOffset: Offset) {
        guard let i = entries.lastIndex(where: { $0.epoch <= epoch }) else { return (-1, -1) }
        return (entries[i].epoch, i + 1 < entries.count ? entries[i + 1].startOffset : logEndOffset)
    }

    /// Forgets epochs that start at or after `offset` (the log was truncated there).
    func truncate(fromEnd offset: Offset) throws {
        let before = entries.count
        entries.removeAll { $0.startOffset >= offset }
        if entries.count != before { try persist() }
    }

    /// Moves the first epoch's start up to `offset` (retention advanced the log start).
    func truncate(fromStart offset: Offset) throws {
        guard let i = entries.lastIndex(where: { $0.startOffset <= offset }), i > 0 || entries[0].startOffset < offset else {
            return
        }
        entries.removeFirst(i)
        entries[0].startOffset = offset
        try persist()
    }

    private func persist() throws {
        var text = "0\n\(entries.count)\n"
        for entry in entries { text += "\(entry.epoch) \(entry.startOffset)\n" }
        try fileSystem.writeAtomically(Array(text.utf8), to: path)
    }

    static func parse(_ bytes: [UInt8]) -> [Entry]? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.count >= 2, lines[0] == "0", let count = Int(lines[1]), lines.count == count + 2 else { return nil }
        var entries: [Entry] = []
        for line in lines.dropFirst(2) {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let epoch = Int32(parts[0]), let start = Int64(parts[1]) else { return nil }
            entries.append(Entry(epoch: epoch, startOffset: start))
        }
        return entries
    }
}
