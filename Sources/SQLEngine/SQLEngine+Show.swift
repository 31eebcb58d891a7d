import Broker
import Relational
import SQLPlanner
import SQLSyntax
import Streams

extension SQLEngine {
    func show(_ show: Statement.Show, session: SessionState) throws -> ResultSet {
        let catalog = currentCatalog
        switch show.subject {
        case .streams, .tables:
            let kind: SourceDescription.Kind = show.subject == .streams ? .stream : .table
            let sources = catalog.sources.values.filter { $0.kind == kind }.sorted { $0.name < $1.name }
            var columns = [Column(kind == .stream ? "stream name" : "table name", .string), Column("kafka topic", .string),
                           Column("key format", .string), Column("value format", .string), Column("windowed", .boolean)]
            // EXTENDED (ksqlDB describes each source): partitions, timestamp column, columns and the queries writing it.
            let writers = show.extended ? Dictionary(grouping: runningQueries, by: \.sink) : [:]
            if show.extended {
                columns += [Column("partitions", .int), Column("timestamp", .string), Column("columns", .string),
                            Column("written by", .string)]
            }
            return ResultSet(columns: columns, rows: sources.map { source in
                var row: [Value] = [.string(source.name), .string(source.topic), .string(source.keyFormat), .string(source.valueFormat),
                                    .boolean(source.windowType != nil)]
                if show.extended {
                    row += [.int(Int32(source.partitions)), source.timestampColumn.map { .string($0) } ?? .null,
                            .string(Explain.columns(source.schema)),
                            .string((writers[source.name] ?? []).map(\.id).joined(separator: ", "))]
                }
                return row
            })
        case .topics:
            return topics(all: show.all, extended: show.extended)
        case .queries:
            var columns = [Column("query id", .string), Column("query type", .string), Column("status", .string),
                           Column("sink name", .string), Column("query string", .string)]
            // EXTENDED (ksqlDB describes each query): the sources it reads and its dataflow.
            if show.extended { columns += [Column("sources", .string), Column("plan", .string)] }
            return ResultSet(
                columns: columns,
                rows: runningQueries.map { q in
                    [.string(q.id), .string("PERSISTENT"), .string(q.state.rawValue + (q.error.map { ": \($0)" } ?? "")), .string(q.sink), .string(q.statement)]
                        + (show.extended ? [.string(q.sources.joined(separator: ", ")), .string(q.plan.text)] : [])
                } + lock.withLock { pushQueries }.filter { !$0.query.isDone }.map { q in  // as ksqlDB's transient ones
                    [.string(q.query.id), .string("PUSH"), .string("RUNNING"), .null, .string(q.statement)]
                        + (show.extended ? [.null, .null] : [])
                })
        case .properties:
            return properties(session)
        case .functions:
            return ResultSet(columns: [Column("function name", .string), Column("category", .string)],
                             rows: catalog.functions.names.map { [.string($0), .string(catalog.functions[$0]!.kind.rawValue)] })
        case .types:
            return ResultSet(columns: [Column("type name", .string), Column("schema", .string)],
                             rows: catalog.types.sorted { $0.key < $1.key }.map { [.string($0.key), .string($0.value.description)] })
        case .variables:
            return ResultSet(columns: [Column("variable name", .string), Column("value", .string)],
                             rows: session.variables.sorted { $0.key < $1.key }.map { [.string($0.key), .string($0.value)] })
        case .consumerGroups:
            return Self.consumerGroupsResult(consumerGroups?.consumerGroupLag(group: nil) ?? [])
        }
    }

    /// ksqlDB's SHOW [ALL] TOPICS [EXTENDED]: every topic of the log, not only those of streams and tables (a topic
    /// a Kafka client created is listed, ready for CREATE STREAM). Internal topics show only with ALL. EXTENDED adds,
    /// per topic, the consumers and consumer groups of the Kafka listener that read it.
    func topics(all: Bool, extended: Bool) -> ResultSet {
        let names = client.topicNames().filter { all || !isInternalTopic($0) }
        var columns = [Column("kafka topic", .string), Column("partitions", .int)]
        var consumers: [String: (members: Set<String>, groups: Set<String>)] = [:]
        if extended {
            columns += [Column("consumers", .int), Column("consumer groups", .int)]
            for row in consumerGroups?.consumerGroupLag(group: nil) ?? [] {
                guard let topic = row.topic else { continue }
                if let member = row.memberID, !member.isEmpty {
                    consumers[topic, default: ([], [])].members.insert(member)
                }
                consumers[topic, default: ([], [])].groups.insert(row.group)
            }
        }
        return ResultSet(columns: columns, rows: names.map { name in
            var row: [Value] = [.string(name), client.partitionCount(of: name).map { .int(Int32($0)) } ?? .null]
            if extended {
                let counts = consumers[name]
                row += [.int(Int32(counts?.members.count ?? 0)), .int(Int32(counts?.groups.count ?? 0))]
            }
            return row
        })
    }

    /// Topics the system keeps for itself, hidden by SHOW TOPICS as ksqlDB hides its own and those of
    /// `ksql.hidden.topics`' defaults: `__…` (`__consumer_offsets`, the command topic), `_confluent…`, `_schemas`,
    /// and the repartition and changelog topics of queries, `<query id>-…` for a query id the engine has used (or
    /// a push query's dataflow id, `PUSH_<n>_<hex>`). A user's `orders-changelog` stays visible.
    func isInternalTopic(_ name: String) -> Bool {
        if name.hasPrefix("__") || name.hasPrefix("_confluent") || name == "_schemas" { return true }
        guard let dash = name.firstIndex(of: "-") else { return false }
        let owner = String(name[..<dash])
        if lock.withLock({ queries[owner] != nil || usedQueryIDs.contains(owner) }) { return true }
        // PUSH_<n>_<hex>: a push query's repartition topics (it is not recorded).
        let parts = owner.split(separator: "_", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "PUSH" && !parts[1].isEmpty && parts[1].allSatisfy(\.isASCII)
            && parts[1].allSatisfy(\.isNumber) && !parts[2].isEmpty && parts[2].allSatisfy(\.isHexDigit)
    }

    /// Kafka's `kafka-consumer-groups.sh --describe` columns, one row per group and partition.
    static func consumerGroupsResult(_ rows: [ConsumerGroupLag]) -> ResultSet {
        func bigint(_ value: Int64?) -> Value { value.map { .bigint($0) } ?? .null }
        func string(_ value: String?) -> Value { value.map { .string($0) } ?? .null }
        return ResultSet(
            columns: [Column("group", .string), Column("state", .string), Column("topic", .string), Column("partition", .int),
                      Column("current offset", .bigint), Column("log end offset", .bigint), Column("lag", .bigint),
                      Column("consumer id", .string), Column("host", .string), Column("client id", .string)],
            rows: rows.map { row in
                [.string(row.group), .string(row.state), string(row.topic), row.partition.map { .int($0) } ?? .null, bigint(row.currentOffset),
                 bigint(row.logEndOffset), bigint(row.lag), string(row.memberID), string(row.host), string(row.clientID)]
            })
    }

    /// Every property the engine knows, like ksqlDB's SHOW PROPERTIES: the session properties it reads (with the
    /// session's value or the default), any other name this session SET, then the server's fixed settings.
    func properties(_ session: SessionState) -> ResultSet {
        func row(_ name: String, _ scope: String, _ value: String) -> [Value] { [.string(name), .string(scope), .string(value)] }
        let known = SessionState.knownProperties
        let others = session.properties.filter { name, _ in !known.contains { $0.name == name } }.sorted { $0.key < $1.key }
        return ResultSet(
            columns: [Column("property", .string), Column("scope", .string), Column("value", .string)],
            rows: known.map { row($0.name, "SESSION", session.properties[$0.name] ?? $0.defaultValue) }
                + others.map { row($0.key, "SESSION", $0.value) } + serverProperties.map { row($0.name, "SERVER", $0.value) })
    }

    func describe(_ describe: Statement.Describe) throws -> ResultSet {
        let catalog = currentCatalog
        switch describe {
        case .source(let name, let extended):
            let source = try catalog.source(name)
            var rows: [[Value]] = source.schema.columns.map { column in
                [.string(column.name), .string(column.type.description + (column.role == .key ? (source.kind == .table ? " (primary key)" : " (key)") : ""))]
            }
            if extended {
                rows.append([.string("-- Type"), .string(source.kind.rawValue)])
                rows.append([.string("-- Kafka topic"), .string("\(source.topic) (partitions: \(source.partitions))")])
                rows.append([.string("-- Formats"), .string("key \(source.keyFormat), value \(source.valueFormat)")])
                for query in runningQueries where query.sink == source.name || query.sources.contains(source.name) {
                    let m = query.metrics
                    rows.append([.string("-- Query \(query.id)"), .string("\(query.sink == source.name ? "writes" : "reads"); state \(query.state.rawValue); records in \(m.recordsIn), out \(m.recordsOut), errors \(m.errors), late \(m.lateRecords)")])
                    for (partition, lag) in query.lagByPartition { rows.append([.string("--   lag \(partition)"), .string(String(lag))]) }
                }
            }
            return ResultSet(columns: [Column("field", .string), Column("type", .string)], rows: rows)
        case .streams:
            return try show(Statement.Show(.streams), session: SessionState())
        case .tables:
            return try show(Statement.Show(.tables), session: SessionState())
        case .function(let name):
            guard let function = catalog.functions[name.value] else {
                throw PlanError(.undefinedFunction, "function \(name.value) does not exist",
                                hint: PlanError.suggestion(for: name.value.uppercased(), among: catalog.functions.names), at: name.span)
            }
            return .text("signature", lines: ["\(function.name) (\(function.kind.rawValue)): \(function.summary)"]
                + function.signatures.map { "  \(function.name)\($0)" })
        }
    }

    func explain(_ explain: Statement.Explain) throws -> ResultSet {
        switch explain {
        case .queryID(let id):
            guard let query = lock.withLock({ queries[id.value] }) else {
                throw PlanError(.undefinedObject, "query \(id.value) does not exist", hint: "SHOW QUERIES lists them", at: id.span)
            }
            return .text("QUERY PLAN", lines: ["Query \(query.id): \(query.statement)"] + query.plan.text.split(separator: "\n").map(String.init))
        case .statement(let statement):
            guard case .explain(let text) = try lock.withLock({ try Planner(catalog: catalog).plan(Statement(.explain(explain))) }) else {
                _ = statement
                return .text("QUERY PLAN", lines: [])
            }
            return .text("QUERY PLAN", lines: text.split(separator: "\n").map(String.init))
        }
    }
}
