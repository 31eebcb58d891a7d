import Relational
import SQLPlanner
import SQLSyntax
import Streams

extension SQLEngine {
    func createSource(_ source: SourceDescription, orReplace: Bool, ifNotExists: Bool, statement: Statement) throws -> StatementResult {
        let kind = source.kind.rawValue
        if lock.withLock({ catalog.sources[source.name] != nil }) {
            if ifNotExists { return .command(tag: "CREATE \(kind)", message: "\(source.name) already exists") }
            if !orReplace { throw EngineError("42710", "\(kind.lowercased()) \(source.name) already exists") }
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
            throw EngineError("42P01", "\(drop.kind.rawValue.lowercased()) \(name) does not exist")
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
            throw EngineError("42704", "type \(name) does not exist")
        }
        try recordCommand(statement)
        lock.withLock { catalog.removeType(name) }
        return .command(tag: "DROP TYPE", message: "Type \(name) dropped")
    }
}
