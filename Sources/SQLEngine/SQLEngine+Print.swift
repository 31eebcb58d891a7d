import Broker
import Relational
import SQLSyntax
import SluiceCore
import Streams

extension SQLEngine {
    /// The columns of PRINT's rows: each record as it is in the topic, key and value as text.
    public static let printColumns = [
        Column("ROWTIME", .timestamp), Column("PARTITION", .int), Column("OFFSET", .bigint), Column("KEY", .string),
        Column("VALUE", .string),
    ]

    /// ksqlDB's `PRINT 'topic' [FROM BEGINNING] [INTERVAL n] [LIMIT n]`: the topic's records as they arrive (from
    /// the start with FROM BEGINNING), every n-th with INTERVAL, until LIMIT records or the client cancels. Rows
    /// stream like a push query's (SHOW QUERIES lists it, TERMINATE ends it); keys and values that are not UTF-8
    /// text print as hex (`0x…`), a tombstone's value as NULL.
    func startPrint(_ print: Statement.PrintTopic, statement: Statement) throws -> PushQuery {
        let topic = print.topic
        guard let partitions = client.partitionCount(of: topic) else {
            throw EngineError("42P01", "topic \(topic) does not exist", hint: "SHOW TOPICS lists them; topic names are case-sensitive")
        }
        if let interval = print.interval, interval < 1 { throw EngineError("22023", "INTERVAL takes 1 or more, not \(interval)") }
        if let limit = print.limit, limit < 1 { throw EngineError("22023", "LIMIT takes 1 or more, not \(limit)") }
        let id = lock.withLock { () -> String in
            pushCounter += 1
            return "PRINT_\(pushCounter)"
        }
        var starts: [Offset] = []
        for p in 0..<partitions {
            let offsets = try client.offsets(of: TopicPartition(topic, PartitionID(p)))
            starts.append(print.fromBeginning ? offsets.start : offsets.end)
        }
        let client = self.client
        let query = PushQuery(id: id, columns: Self.printColumns, limit: print.limit, onClose: { [weak self] in
            self?.lock.withLock { self?.pushQueries.removeAll { $0.query.id == id } }
            client.wakeUp()
        }, onRoom: { client.wakeUp() })
        lock.withLock { pushQueries.append((query, Unparser.sql(statement))) }
        let every = print.interval ?? 1
        let from = starts
        WorkerThread.start(name: id) {
            Self.runPrint(topic: topic, from: from, every: every, client: client, into: query)
        }
        return query
    }

    /// PRINT's reader: fetches every partition in turn and hands each batch of records to `query`, waiting for
    /// new data when there is none and for room when its client falls behind.
    private static func runPrint(topic: String, from starts: [Offset], every: Int64, client: any LogClient, into query: PushQuery) {
        var next = starts
        var reader = FetchReader()
        var seen: Int64 = 0
        while !query.isDone {
            let sequence = client.dataSequence
            var batch = StreamBatch(columnCount: printColumns.count)
            do {
                for p in next.indices {
                    let partition = TopicPartition(topic, PartitionID(p))
                    let fetched = try client.fetch(partition, from: next[p], maxBytes: 1 << 20)
                    try fetched.forEachRecord(from: next[p], reader: &reader) { record in
                        next[p] = record.offset + 1
                        seen += 1
                        guard (seen - 1) % every == 0 else { return }
                        batch.columns[0].append(.timestamp(record.timestamp))
                        batch.columns[1].append(.int(Int32(p)))
                        batch.columns[2].append(.bigint(record.offset))
                        batch.columns[3].append(text(record.key))
                        batch.columns[4].append(text(record.value))
                        batch.ops.append(.insert)
                        batch.timestamps.append(record.timestamp)
                        batch.offsets.append(record.offset)
                    }
                    if let end = fetched.nextOffset, end > next[p] { next[p] = end }  // past control batches
                }
            } catch {
                query.fail(EngineError("58000", "PRINT \(topic) stopped: \(error)"))
                return
            }
            if batch.isEmpty {
                _ = client.waitForData(after: sequence, timeoutMilliseconds: 250)
            } else if !query.deliver(batch) {
                return
            }
            while !query.hasRoom && !query.isDone { _ = client.waitForData(after: client.dataSequence, timeoutMilliseconds: 100) }
        }
    }

    /// A key or value as text: UTF-8 as is, other bytes (and text with a NUL, which clients cut at) as hex, none
    /// as NULL.
    private static func text(_ bytes: UnsafeRawBufferPointer?) -> Value {
        guard let bytes else { return .null }
        let utf8 = bytes.bindMemory(to: UInt8.self)
        if !utf8.contains(0), let text = String(validating: utf8, as: UTF8.self) { return .string(text) }
        return .string("0x" + BytesFunctions.hex(Array(utf8)))
    }
}
