import Relational
import StateStore
import SQLPlanner
import SQLSyntax
import SluiceCore
import Streams

extension SQLEngine {
    /// A new query's id ends with the command topic's end offset, the offset its own CREATE or INSERT is about to be
    /// recorded at: no two queries share an id, within a run or across restarts (replay takes the recorded id). Its
    /// state and internal topics are named after it, and TERMINATE drops them. Statements that change the catalog run
    /// one at a time, so nothing is recorded between reading the offset and recording the command.
    func newQueryID(prefix: String, name: String?, statement: Statement) throws -> String {
        if let replayed = replayQueryID { return replayed }
        if let requested = Self.requestedQueryID(statement) {
            // Upper-cased, as TERMINATE's unquoted identifier is. The prefixes of generated ids stay free for them.
            if let prefix = Self.generatedIDPrefixes.first(where: { requested.hasPrefix($0) }) {
                throw EngineError("22023", "QUERY_ID \(requested) starts with \(prefix), which generated query ids use",
                                  hint: "choose an id without the prefixes CSAS_, CTAS_, INSERTQUERY_, CST_, PUSH_ and PRINT_")
            }
            guard lock.withLock({ queries[requested] == nil && !usedQueryIDs.contains(requested) }) else {
                throw EngineError("42710", "query ID \(requested) is taken: a query had it before, and ids are not reused",
                                  hint: "choose another QUERY_ID")
            }
            return requested
        }
        let sequence = try client.offsets(of: TopicPartition(Self.commandTopic, 0)).end
        return "\(prefix)_\(name.map { $0 + "_" } ?? "")\(sequence)"
    }

    /// Prefixes of the ids the engine makes: persistent queries, table materializations, push queries, PRINT.
    static let generatedIDPrefixes = ["CSAS_", "CTAS_", "INSERTQUERY_", "CST_", "PUSH_", "PRINT_"]

    /// The QUERY_ID of a CREATE … AS SELECT or INSERT INTO … SELECT (the planner checked its form), upper-cased.
    static func requestedQueryID(_ statement: Statement) -> String? {
        let properties: [Statement.Property]
        switch statement.kind {
        case .createAsSelect(let create): properties = create.properties
        case .insertSelect(let insert): properties = insert.properties
        default: return nil
        }
        guard let property = properties.first(where: { $0.name.uppercased() == "QUERY_ID" }), case .string(let id) = property.value else {
            return nil
        }
        return id.uppercased()
    }

    func createAsSelect(_ sink: SourceDescription, _ plan: LogicalPlan, orReplace: Bool, ifNotExists: Bool, statement: Statement) throws -> StatementResult {
        let kind = sink.kind.rawValue
        if let existing = lock.withLock({ catalog.sources[sink.name] }) {
            if ifNotExists { return .command(tag: "CREATE \(kind)", message: "\(sink.name) already exists") }
            if !orReplace { throw EngineError("42710", "\(kind.lowercased()) \(existing.name) already exists") }
            throw EngineError.notSupported("CREATE OR REPLACE of a query's sink is not supported yet; TERMINATE the query and DROP \(sink.name)")
        }
        let id = try newQueryID(prefix: sink.kind == .stream ? "CSAS" : "CTAS", name: sink.name, statement: statement)
        let dataflow = StreamPlanner.lower(plan, queryID: id, sink: sink)
        try client.ensureTopic(sink.topic, partitions: sink.partitions, config: Self.topicConfig(sink))
        try recordCommand(statement, queryID: id)
        try lock.withLock { try catalog.add(sink) }
        try start(id: id, statement: statement, sink: sink, plan: dataflow, sources: Self.sources(of: plan))
        if sink.kind == .table { try materialize(sink) }
        return .command(tag: "CREATE \(kind)", message: "Created query with ID \(id)")
    }

    func insertSelect(_ target: SourceDescription, _ plan: LogicalPlan, statement: Statement) throws -> StatementResult {
        let id = try newQueryID(prefix: "INSERTQUERY", name: nil, statement: statement)
        let dataflow = StreamPlanner.lower(plan, queryID: id, sink: target)
        try recordCommand(statement, queryID: id)
        try start(id: id, statement: statement, sink: target, plan: dataflow, sources: Self.sources(of: plan))
        return .command(tag: "INSERT 0 0", message: "Created query with ID \(id)")
    }

    static func sources(of plan: LogicalPlan) -> [String] {
        if case .source(let source) = plan.op { return [source.name] }
        return plan.inputs.flatMap(sources(of:))
    }

    /// max.message.bytes of changelog topics.
    static let changelogMaxMessageBytes = 256 << 20

    /// Creates the internal topics and one task per stage and input partition, and hands them to the scheduler.
    func start(id: String, statement: Statement, sink: SourceDescription, plan: StreamPlan, sources: [String]) throws {
        lock.withLock { _ = usedQueryIDs.insert(id) }
        if replaying && terminatedLater.contains(id) { return }
        var tasks: [QueryTask] = []
        for (stage, current) in QueryTask.stages(of: plan).enumerated() {
            for binding in current.inputs.compactMap({ QueryTask.repartitionBinding(plan, node: $0) }) {
                try client.ensureTopic(binding.topic, partitions: binding.partitions, config: [:])
            }
            let partitions = QueryTask.partitionCount(of: current, in: plan)
            if let changelog = QueryTask.changelogTopic(of: plan, stage: current) {
                // A commit is mirrored as ONE batch (state and input offsets together), which for a flush of many
                // keys is larger than Kafka's default max.message.bytes (1 MiB): allow up to 256 MiB.
                try client.ensureTopic(changelog, partitions: partitions, config: ["cleanup.policy": "compact", "max.message.bytes": String(Self.changelogMaxMessageBytes)])
            }
            for p in 0..<partitions {
                tasks.append(try QueryTask(queryID: id, plan: plan, stage: stage, partition: Int32(p), client: client, store: store,
                                           output: .sink(StreamPlanner.binding(sink)), start: .earliest, functions: functions,
                                           processingLog: processingLog, changelog: true))
            }
        }
        let query = PersistentQuery(id: id, statement: Unparser.sql(statement), sink: sink.name, sources: sources, plan: plan, tasks: tasks)
        lock.withLock { queries[id] = query }
        for task in tasks { scheduler.add(task, group: id) }
    }

    func queryFailed(_ id: String, _ error: any Error) {
        lock.withLock {
            guard let query = queries[id] else { return }
            query.state = .failed
            query.error = "\(EngineError.from(error).message)"
        }
    }

    func terminate(_ target: Statement.QueryTarget) throws -> StatementResult {
        let ids: [String]
        switch target {
        case .all: ids = runningQueries.map(\.id)
        case .query(let id):
            // Replay did not start a query that this command terminates (see `replayCommands`).
            if replaying && terminatedLater.contains(id.value) { return .command(tag: "TERMINATE", message: nil) }
            // A push query ends for its client as if it had reached its LIMIT (its tasks stop delivering, and the
            // client's closing of the stream removes them); nothing is recorded.
            if let push = lock.withLock({ pushQueries.first { $0.query.id == id.value }?.query }) {
                push.finish()
                return .command(tag: "TERMINATE", message: nil)
            }
            guard lock.withLock({ queries[id.value] != nil }) else {
                throw PlanError(.undefinedObject, "query \(id.value) does not exist", hint: "SHOW QUERIES lists them", at: id.span)
            }
            ids = [id.value]
        }
        // The query is terminated once recorded and stopped; failing to remove its state afterwards is reported, not
        // thrown (the state is only wasted space: no later query reuses the id).
        var leftovers: [String] = []
        for id in ids {
            try recordCommand(Statement(.terminate(.query(Identifier(id)))))
            scheduler.remove(group: id)
            guard let query = lock.withLock({ queries.removeValue(forKey: id) }) else { continue }
            do {
                try dropInternalState(of: query)
            } catch {
                leftovers.append("\(id): \(EngineError.from(error).message)")
            }
        }
        var message = ids.isEmpty ? "No queries to terminate" : "Terminated \(ids.joined(separator: ", "))"
        if !leftovers.isEmpty { message += "; state left behind (\(leftovers.joined(separator: "; ")))" }
        return .command(tag: "TERMINATE", message: message)
    }

    /// As ksqlDB's TERMINATE, removes what only the query used, once its tasks have stopped: its state stores (every
    /// partition's column families), its committed offsets, and its repartition and changelog topics. The sink stays.
    /// Query ids are never reused (see `newQueryID`), so nothing else refers to these.
    func dropInternalState(of query: PersistentQuery) throws {
        let (families, topics) = QueryTask.internalState(of: query.plan)
        let existing = Set(store.columnFamilyNames)
        for family in families where existing.contains(family) { try store.dropColumnFamily(family) }
        try QueryTask.forgetCommittedOffsets(store, queryID: query.id)
        for topic in topics where client.partitionCount(of: topic) != nil { try client.deleteTopic(topic) }
    }

    func setPaused(_ target: Statement.QueryTarget, _ paused: Bool) throws -> StatementResult {
        let ids: [String]
        switch target {
        case .all: ids = runningQueries.map(\.id)
        case .query(let id):
            guard lock.withLock({ queries[id.value] != nil }) else {
                throw PlanError(.undefinedObject, "query \(id.value) does not exist", hint: "SHOW QUERIES lists them", at: id.span)
            }
            ids = [id.value]
        }
        for id in ids {
            scheduler.setPaused(paused, group: id)
            lock.withLock { queries[id]?.state = paused ? .paused : .running }
        }
        return .command(tag: paused ? "PAUSE" : "RESUME", message: nil)
    }

    // MARK: - Push queries

    func startPushQuery(_ plan: LogicalPlan, statement: Statement, session: SessionState) throws -> PushQuery {
        let id = lock.withLock { () -> String in
            pushCounter += 1
            return "PUSH_\(pushCounter)"
        }
        let forget: @Sendable () -> Void = { [weak self] in
            guard let self else { return }
            lock.withLock { pushQueries.removeAll { $0.query.id == id } }
        }
        // Internal topics and stores are named after the dataflow's id, which is unique across restarts of the
        // server (a repartition topic left behind by a crash must not feed a later push query of the same number).
        let dataflowID = id + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let dataflow = StreamPlanner.lower(plan, queryID: dataflowID)
        let stages = QueryTask.stages(of: dataflow)
        let scheduler = self.scheduler
        var limit: Int64?
        if case .limit(let count, _)? = dataflow.nodes.last.map(\.op) { limit = count }
        // A push query that re-keys (GROUP BY a non-key column, PARTITION BY, a join on a non-key column) runs its
        // stages like a persistent query, through repartition topics of its own that go when it ends.
        let internalTopics = stages.flatMap(\.inputs).compactMap { QueryTask.repartitionBinding(dataflow, node: $0) }
        for binding in internalTopics { try client.ensureTopic(binding.topic, partitions: binding.partitions, config: [:]) }
        // A full buffer holds the tasks back (`hasRoom`); the workers then sleep until new data, so taking rows
        // wakes them, or a fast consumer would wait for the next append (or the 250 ms poll) at every refill.
        let client = self.client
        let query = PushQuery(id: id, columns: plan.schema.columns.filter { $0.role != .pseudo }.map { var c = $0; c.role = .value; return c },
                              limit: limit, onClose: {
                                  scheduler.remove(group: id)
                                  for binding in internalTopics { try? client.deleteTopic(binding.topic) }
                                  forget()
                              }, onRoom: { client.wakeUp() })
        lock.withLock { pushQueries.append((query, Unparser.sql(statement))) }
        // Stateful push queries (and every stage but the last, for its offsets) keep state in a scratch store.
        let store: (any StateStore)? = stages.count > 1 || dataflow.nodes.contains { node in
            switch node.op {
            case .aggregate, .join, .tableChanges: true
            default: false
            }
        } ? MemoryStateStore() : nil
        do {
            for (stage, current) in stages.enumerated() {
                for p in 0..<QueryTask.partitionCount(of: current, in: dataflow) {
                    let task = try QueryTask(queryID: dataflowID, plan: dataflow, stage: stage, partition: Int32(p), client: client, store: store,
                                             output: .client({ batch, _ in query.deliver(batch) }),
                                             start: session.startsAtEarliest ? .earliest : .latest, functions: functions, processingLog: processingLog)
                    scheduler.add(task, group: id, canStep: { query.hasRoom })
                }
            }
        } catch {
            scheduler.remove(group: id)
            for binding in internalTopics { try? client.deleteTopic(binding.topic) }
            forget()
            throw error
        }
        return query
    }
}
