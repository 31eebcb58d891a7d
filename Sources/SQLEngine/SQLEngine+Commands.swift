import Broker
import SQLSyntax
import SluiceCore
import Streams

extension SQLEngine {
    /// Appends a statement that changed the catalog to the command topic (the key carries the query id, if any), so
    /// that the next start replays it. Runs before the statement takes effect: what is not recorded did not happen.
    func recordCommand(_ statement: Statement, queryID: String? = nil) throws {
        guard !replaying else { return }
        var batch = ProducerBatch()
        batch.append(timestamp: clock.milliseconds(), key: queryID.map { Array($0.utf8) }, value: Array(Unparser.sql(statement).utf8))
        _ = try client.produce(&batch, to: TopicPartition(Self.commandTopic, 0))
    }

    /// Replays the command topic from the start: rebuilds the catalog and restarts persistent queries, which resume
    /// from the offsets committed with their state.
    func replayCommands() throws {
        replaying = true
        defer {
            replaying = false
            terminatedLater = []
        }
        let partition = TopicPartition(Self.commandTopic, 0)
        var offset = try client.offsets(of: partition).start
        var reader = FetchReader()
        var commands: [(offset: Int64, queryID: String?, sql: String)] = []
        while true {
            let records = try client.fetch(partition, from: offset, maxBytes: 1 << 20)
            guard let next = records.nextOffset else { break }
            try records.forEachRecord(from: offset, reader: &reader) { record in
                guard let value = record.value else { return }
                commands.append((record.offset, record.key.map { String(decoding: $0, as: UTF8.self) }, String(decoding: value, as: UTF8.self)))
            }
            offset = next
        }
        // Queries a later command terminates are not started again: their state and offsets went at TERMINATE, so
        // they would reprocess their input from the start (into the sink, which stays) until the TERMINATE replays.
        for command in commands {
            if case .terminate(.query(let id))? = (try? Parser.parse(command.sql))?.first?.kind { terminatedLater.insert(id.value) }
        }
        lock.withLock { usedQueryIDs.formUnion(commands.compactMap(\.queryID)) }
        var session = SessionState()
        for (offset, queryID, sql) in commands {
            replayQueryID = queryID
            defer { replayQueryID = nil }
            do {
                _ = try execute(sql, session: &session)
            } catch {
                // A statement that no longer applies (e.g. its source was dropped later) is skipped, not fatal.
                processingLog.record(ProcessingLogEntry(kind: .expression, queryID: queryID ?? "", topic: Self.commandTopic,
                                                        partition: 0, offset: offset, message: "replay of '\(sql)' failed: \(error)"))
            }
        }
        replaying = false
        materializeReplayedTables()
    }
}
