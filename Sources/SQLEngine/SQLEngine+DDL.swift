import Relational
import SluiceCore
import SQLPlanner
import SQLSyntax
import Streams

extension SQLEngine {
    func createSource(_ source: SourceDescription, orReplace: Bool, ifNotExists: Bool, statement: Statement) throws -> StatementResult {
        var source = source
        // Over an existing topic (the usual case: data a Kafka client produced), PARTITIONS may be left out, as in
        // ksqlDB: the stream or table takes the topic's count. A new topic without it gets one partition.
        if case .createSource(let create) = statement.kind,
            !create.properties.contains(where: { $0.name.uppercased() == "PARTITIONS" }),
            let existing = client.partitionCount(of: source.topic)
        {
            source.partitions = existing
        }
        let kind = source.kind.rawValue
        if let existing = lock.withLock({ catalog.sources[source.name] }) {
            if ifNotExists { return .command(tag: "CREATE \(kind)", message: "\(source.name) already exists") }
            if !orReplace { throw EngineError("42710", "\(kind.lowercased()) \(source.name) already exists") }
            try Self.checkReplacement(existing, by: source)
            if let query = writingQuery(of: existing.name) {
                throw EngineError("0A000", "cannot replace \(existing.name): query \(query.id) writes it",
                                  hint: "TERMINATE \(query.id) first, or replace its CREATE … AS SELECT")
            }
        }
        try client.ensureTopic(source.topic, partitions: source.partitions, config: Self.topicConfig(source))
        try recordCommand(statement)
        let replaced = try lock.withLock { () throws -> SourceDescription? in
            let old = catalog.sources[source.name]
            try catalog.add(source, replacing: true)
            return old
        }
        if replaced?.kind == .table { try dematerialize(source.name) }  // OR REPLACE: its columns may have changed
        if source.kind == .table { try materialize(source) }
        return .command(tag: "CREATE \(kind)", message: "\(Self.titleCase(kind)) \(source.name) created")
    }

    /// The running persistent query that writes `source`, if any: its columns are the query's, not to be changed
    /// by CREATE OR REPLACE or ALTER.
    func writingQuery(of source: String) -> PersistentQuery? { runningQueries.first { $0.sink == source } }

    /// CREATE OR REPLACE keeps what readers of the source rely on, as ksqlDB's upgrade check does: the same kind
    /// and topic, and every column as it was (name, type, key or value, in order); new value columns may follow.
    static func checkReplacement(_ old: SourceDescription, by new: SourceDescription) throws {
        guard old.kind == new.kind else {
            let (was, becomes) = (old.kind.rawValue.lowercased(), new.kind.rawValue.lowercased())
            throw EngineError("42809", "cannot replace \(was) \(old.name) with a \(becomes)",
                              hint: "DROP \(old.kind.rawValue) \(old.name) first")
        }
        guard old.topic == new.topic else {
            throw EngineError("42P16", "cannot move \(old.name) from topic \(old.topic) to \(new.topic)",
                              hint: "create a new \(new.kind.rawValue.lowercased()) over the other topic")
        }
        // The records already in the topic are read with these: changing them would misread them.
        for (what, before, after) in [("key format", old.keyFormat, new.keyFormat), ("value format", old.valueFormat, new.valueFormat),
                                      ("timestamp column", old.timestampColumn ?? "none", new.timestampColumn ?? "none")]
        where before != after {
            throw EngineError("42P16", "cannot replace \(old.name): its \(what) would change from \(before) to \(after)")
        }
        let before = old.schema.columns
        let after = new.schema.columns
        let changed = before.enumerated().filter { i, column in
            i >= after.count || after[i].name != column.name || after[i].type != column.type || after[i].role != column.role
        }
        if let (_, first) = changed.first {
            throw EngineError("42P16", "cannot replace \(old.name): column \(first.name) \(first.type) would be changed, removed or moved",
                              hint: "columns can only be added after the existing ones")
        }
        if let added = after.dropFirst(before.count).first(where: { $0.role == .key }) {
            throw EngineError("42P16", "cannot replace \(old.name): the new column \(added.name) cannot be a key column")
        }
    }

    /// `ALTER STREAM|TABLE name ADD [COLUMN] c type, …` (ksqlDB): new value columns after the existing ones, on a
    /// stream or table made by CREATE (a query's sink has the columns its query writes). Rows already in the topic
    /// read NULL for them.
    func alterSource(_ alter: Statement.AlterSource, statement: Statement) throws -> StatementResult {
        let (old, catalogNow) = try lock.withLock { () throws -> (SourceDescription, Catalog) in
            (try catalog.source(alter.name), catalog)
        }
        let kind: SourceDescription.Kind = alter.kind == .stream ? .stream : .table
        guard old.kind == kind else {
            throw EngineError("42809", "\(old.name) is a \(old.kind.rawValue.lowercased()), not a \(kind.rawValue.lowercased())",
                              hint: "use ALTER \(old.kind.rawValue) \(old.name)")
        }
        if let query = writingQuery(of: old.name) {
            throw EngineError("0A000", "ALTER is not supported for \(old.name): query \(query.id) writes it",
                              hint: "ALTER applies to streams and tables made by CREATE STREAM/TABLE")
        }
        var columns = old.schema.columns
        for element in alter.addedColumns {
            let name = element.name.value
            guard element.constraint == nil else {
                throw EngineError("42P16", "ALTER can add only value columns; \(name) cannot be a key or header column")
            }
            guard !SourceDescription.pseudoColumnNames.contains(name), !columns.contains(where: { $0.name == name }) else {
                throw EngineError("42701", "column \(name) already exists in \(old.name)")
            }
            columns.append(Column(name, try catalogNow.resolve(element.type)))
        }
        var altered = old
        altered.schema = Schema(columns)
        try recordCommand(statement)
        try lock.withLock { try catalog.add(altered, replacing: true) }
        if kind == .table {
            try dematerialize(old.name)
            try materialize(altered)
        }
        return .command(tag: "ALTER \(old.kind.rawValue)", message: "\(Self.titleCase(old.kind.rawValue)) \(old.name) altered")
    }

    /// ksqlDB's `ASSERT [NOT EXISTS] TOPIC name [WITH (PARTITIONS=n, REPLICAS=m)] [TIMEOUT d]`: waits up to the
    /// timeout (1 second by default) for the topic to exist with those settings, or not to exist; P0004 otherwise.
    /// This node keeps one replica of every partition.
    func assertTopic(_ assertion: Statement.AssertTopic) throws -> StatementResult {
        var expected: [(name: String, value: Int)] = []
        for property in assertion.properties {
            let name = property.name.uppercased()
            guard name == "PARTITIONS" || name == "REPLICAS" else {
                throw EngineError("22023", "ASSERT TOPIC checks PARTITIONS and REPLICAS, not \(name)")
            }
            guard case .integer(let text) = property.value, let value = Int(text) else {
                throw EngineError("22023", "\(name) takes a whole number")
            }
            expected.append((name, value))
        }
        let timeout = assertion.timeout?.milliseconds ?? 1_000
        let deadline = SystemClock().monotonicNanoseconds() + UInt64(max(timeout, 0)) * 1_000_000
        let topic = assertion.topic
        while true {
            let partitions = client.partitionCount(of: topic)
            var failure: String?
            if assertion.notExists {
                if partitions != nil { failure = "Topic \(topic) exists" }
            } else if let partitions {
                for (name, value) in expected {
                    let actual = name == "PARTITIONS" ? partitions : 1
                    if actual != value { failure = "Mismatched configuration for topic \(topic): \(name) is \(actual), not \(value)" }
                }
            } else {
                failure = "Topic \(topic) does not exist"
            }
            guard let failure else {
                return .command(tag: "ASSERT TOPIC", message: "Topic \(topic) \(assertion.notExists ? "does not exist" : "exists")")
            }
            if SystemClock().monotonicNanoseconds() >= deadline { throw EngineError("P0004", failure) }
            _ = client.waitForData(after: client.dataSequence, timeoutMilliseconds: 50)  // a short wait, no busy loop
        }
    }

    static func titleCase(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst().lowercased() }

    /// Topic settings from the WITH properties (RETENTION_MS, CLEANUP_POLICY; tables compact by default).
    static func topicConfig(_ source: SourceDescription) -> [String: String] {
        var config: [String: String] = [:]
        if let retention = source.properties["RETENTION_MS"] { config["retention.ms"] = retention }
        if let policy = source.properties["CLEANUP_POLICY"] {
            config["cleanup.policy"] = policy.lowercased()
        } else if source.kind == .table && !source.keyColumns.isEmpty {
            // Tables keep the latest row per key; a keyless table (a global aggregate) cannot be compacted.
            config["cleanup.policy"] = "compact"
        }
        return config
    }

    func dropSource(_ drop: Statement.DropSource, statement: Statement) throws -> StatementResult {
        let name = drop.name.value
        guard let source = lock.withLock({ catalog.sources[name] }) else {
            if drop.ifExists { return .command(tag: "DROP \(drop.kind.rawValue)", message: "\(name) does not exist") }
            let known = lock.withLock { Array(catalog.sources.keys) }
            throw PlanError(.undefinedSource, "\(drop.kind.rawValue.lowercased()) \(name) does not exist",
                            hint: PlanError.suggestion(for: name, among: known), at: drop.name.span)
        }
        guard source.kind.rawValue == drop.kind.rawValue else {
            throw EngineError("42809", "\(name) is a \(source.kind.rawValue.lowercased()), not a \(drop.kind.rawValue.lowercased())",
                              hint: "use DROP \(source.kind.rawValue)")
        }
        if let user = runningQueries.first(where: { $0.sink == name || $0.sources.contains(name) }) {
            throw EngineError("2BP01", "cannot drop \(name): query \(user.id) \(user.sink == name ? "writes" : "reads") it",
                              hint: "TERMINATE \(user.id) first")
        }
        if drop.deleteTopic && source.isReadOnly {
            throw EngineError("42809", "\(name) was created with CREATE SOURCE; its topic is not Sluice's to delete")
        }
        try recordCommand(statement)
        lock.withLock { catalog.removeSource(name) }
        if source.kind == .table { try dematerialize(name) }
        if drop.deleteTopic { try client.deleteTopic(source.topic) }
        return .command(tag: "DROP \(drop.kind.rawValue)", message: "\(Self.titleCase(source.kind.rawValue)) \(name) dropped")
    }

    func createType(_ name: String, _ type: DataType, ifNotExists: Bool, statement: Statement) throws -> StatementResult {
        if lock.withLock({ catalog.types[name] != nil }) {
            if ifNotExists { return .command(tag: "CREATE TYPE", message: nil) }
            throw EngineError("42710", "type \(name) already exists")
        }
        try recordCommand(statement)
        lock.withLock { catalog.addType(name, type) }
        return .command(tag: "CREATE TYPE", message: "Type \(name) created")
    }

    func dropType(_ drop: Statement.DropType, statement: Statement) throws -> StatementResult {
        let name = drop.name.value
        guard lock.withLock({ catalog.types[name] != nil }) else {
            if drop.ifExists { return .command(tag: "DROP TYPE", message: nil) }
            throw PlanError(.undefinedType, "type \(name) does not exist", at: drop.name.span)
        }
        try recordCommand(statement)
        lock.withLock { catalog.removeType(name) }
        return .command(tag: "DROP TYPE", message: "Type \(name) dropped")
    }
}
