import Relational
import Streams
import SQLSyntax

/// The WITH properties of CREATE STREAM/TABLE and CREATE … AS SELECT (sql-features.md §2), checked: known names
/// (with a suggestion for a misspelt one), value types, formats Sluice supports, and rules across them.
struct SourceProperties {
    static let known = [
        "KAFKA_TOPIC", "PARTITIONS", "REPLICAS", "KEY_FORMAT", "VALUE_FORMAT", "FORMAT", "TIMESTAMP", "TIMESTAMP_FORMAT",
        "WRAP_SINGLE_VALUE", "RETENTION_MS", "CLEANUP_POLICY", "KEY_DELIMITER", "VALUE_DELIMITER", "WINDOW_TYPE", "WINDOW_SIZE",
        "QUERY_ID",
    ]
    static let formats = ["KAFKA", "JSON", "DELIMITED", "NONE"]
    static let registryFormats = ["AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR"]
    static let pseudoColumns = SourceDescription.pseudoColumnNames
    static let formatProperties = ["KEY_FORMAT", "VALUE_FORMAT", "FORMAT"]
    static let positiveIntegerProperties = ["PARTITIONS", "REPLICAS", "RETENTION_MS"]
    static let cleanupPolicies = ["delete", "compact", "delete,compact", "compact,delete"]
    /// Properties a SourceDescription has fields for; the others are kept in its `properties`.
    static let describedProperties = [
        "KAFKA_TOPIC", "PARTITIONS", "KEY_FORMAT", "VALUE_FORMAT", "FORMAT", "TIMESTAMP", "TIMESTAMP_FORMAT", "QUERY_ID",
    ]

    var values = PropertyList()

    init(_ properties: [Statement.Property], requireTopic: Bool) throws(PlanError) {
        for property in properties {
            let name = property.name.upperCasedIfNeeded
            guard Self.known.contains(name) else {
                throw PlanError(.invalidProperty, "unknown property \(name)", hint: PlanError.suggestion(for: name, among: Self.known), at: property.span)
            }
            guard values[name] == nil else { throw PlanError(.invalidProperty, "property \(name) is given twice", at: property.span) }
            let text: String
            switch property.value {
            case .string(let s): text = s
            case .integer(let s), .decimal(let s), .double(let s): text = s
            case .boolean(let b): text = b ? "true" : "false"
            case .null: throw PlanError(.invalidProperty, "property \(name) cannot be NULL", at: property.span)
            }
            if name == "QUERY_ID" {
                guard case .string = property.value else { throw PlanError(.invalidProperty, "QUERY_ID takes a string", at: property.span) }
                try Self.checkQueryID(text, span: property.span)
            }
            values[name] = (text, property.span)
        }
        if requireTopic && values["KAFKA_TOPIC"] == nil {
            throw PlanError(.invalidProperty, "KAFKA_TOPIC is required", hint: "add WITH (KAFKA_TOPIC='name', …)")
        }
        if values["FORMAT"] != nil && (values["KEY_FORMAT"] != nil || values["VALUE_FORMAT"] != nil) {
            throw PlanError(.invalidProperty, "FORMAT sets both formats and cannot be combined with KEY_FORMAT or VALUE_FORMAT", at: values["FORMAT"]!.1)
        }
    }

    subscript(name: String) -> String? { values[name]?.0 }

    var keyFormat: String { (self["FORMAT"] ?? self["KEY_FORMAT"] ?? "KAFKA").upperCasedIfNeeded }
    var valueFormat: String { (self["FORMAT"] ?? self["VALUE_FORMAT"] ?? "JSON").upperCasedIfNeeded }

    /// CREATE … AS SELECT inherits formats and partitions from its left-most source, and names its topic after itself.
    mutating func inherit(from source: SourceDescription?, defaultTopic: String) {
        if values["KAFKA_TOPIC"] == nil { values["KAFKA_TOPIC"] = (defaultTopic, .synthetic) }
        guard let source else { return }
        if values["FORMAT"] == nil {
            if values["KEY_FORMAT"] == nil { values["KEY_FORMAT"] = (source.keyFormat, .synthetic) }
            if values["VALUE_FORMAT"] == nil { values["VALUE_FORMAT"] = (source.valueFormat, .synthetic) }
        }
        if values["PARTITIONS"] == nil { values["PARTITIONS"] = (String(source.partitions), .synthetic) }
    }

    /// ksqlDB's QUERY_ID: the id of the query a CREATE … AS SELECT or INSERT INTO … SELECT starts, instead of a
    /// generated one. It names the query's state and internal topics, so it is letters, digits and `_` only.
    static func checkQueryID(_ id: String, span: SourceSpan) throws(PlanError) {
        let allowed = id.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
        }
        guard !id.isEmpty, allowed else {
            throw PlanError(.invalidProperty, "QUERY_ID '\(id)' is not a valid query id", hint: "use letters, digits and _", at: span)
        }
    }

    /// The WITH properties of INSERT INTO … SELECT, where QUERY_ID is the only one (as in ksqlDB).
    static func checkInsertProperties(_ properties: [Statement.Property]) throws(PlanError) {
        for property in properties {
            let name = property.name.upperCasedIfNeeded
            guard name == "QUERY_ID" else {
                throw PlanError(.invalidProperty, "unknown property \(name) for INSERT INTO … SELECT",
                                hint: "only QUERY_ID is allowed here", at: property.span)
            }
            guard case .string(let id) = property.value else {
                throw PlanError(.invalidProperty, "QUERY_ID takes a string", at: property.span)
            }
            try checkQueryID(id, span: property.span)
        }
    }

    func validate(for schema: Schema, span: SourceSpan) throws(PlanError) {
        for name in Self.formatProperties {
            guard let (value, at) = values[name] else { continue }
            let format = value.upperCasedIfNeeded
            if Self.registryFormats.contains(format) {
                throw PlanError(.featureNotSupported, "format \(format) needs a schema registry, which Sluice does not have yet", hint: "use JSON, DELIMITED or KAFKA", at: at)
            }
            guard Self.formats.contains(format) else {
                throw PlanError(.invalidProperty, "unknown format \(value)", hint: PlanError.suggestion(for: format, among: Self.formats), at: at)
            }
        }
        if valueFormat == "NONE" { throw PlanError(.invalidProperty, "NONE is a key format only", at: values["VALUE_FORMAT"]?.1 ?? span) }
        let keyFormat = self.keyFormat
        let keyCount = schema.count(role: .key)  // the key columns themselves only for the messages
        if keyFormat == "KAFKA" && keyCount > 1 {
            throw PlanError(
                .invalidProperty, "KEY_FORMAT KAFKA holds one key column; use JSON or DELIMITED for \(keyCount)", at: span)
        }
        if keyFormat == "NONE" && keyCount > 0 {
            let first = schema.columns(role: .key)[0].name
            throw PlanError(.invalidProperty, "KEY_FORMAT NONE means no key, but \(first) is declared as one", at: span)
        }
        for name in Self.positiveIntegerProperties {
            if let (value, at) = values[name], Int64(value).map({ $0 < 1 }) ?? true {
                throw PlanError(.invalidProperty, "\(name) must be a positive integer, not \(value)", at: at)
            }
        }
        if let (value, at) = values["CLEANUP_POLICY"], !Self.cleanupPolicies.contains(value.lowercased()) {
            throw PlanError(.invalidProperty, "CLEANUP_POLICY is delete, compact or delete,compact, not \(value)", at: at)
        }
        if let (value, at) = values["WRAP_SINGLE_VALUE"], !["true", "false"].contains(value.lowercased()) {
            throw PlanError(.invalidProperty, "WRAP_SINGLE_VALUE is true or false, not \(value)", at: at)
        }
        if let (column, at) = values["TIMESTAMP"] {
            guard let c = schema.column(named: column.uppercased()) ?? schema.column(named: column) else {
                throw PlanError(.undefinedColumn, "TIMESTAMP column \(column) does not exist", hint: PlanError.suggestion(for: column, among: schema.columns.map(\.name)), at: at)
            }
            let ok = c.type == .bigint || c.type == .timestamp || (c.type == .string && values["TIMESTAMP_FORMAT"] != nil)
            guard ok else {
                throw PlanError(.datatypeMismatch, "TIMESTAMP column \(c.name) must be BIGINT or TIMESTAMP, or STRING with TIMESTAMP_FORMAT; it is \(c.type)", at: at)
            }
        }
    }

    func description(name: String, kind: SourceDescription.Kind, schema: Schema, readOnly: Bool) -> SourceDescription {
        var others: [String: String] = [:]
        for (key, value) in values.entries where !Self.describedProperties.contains(key) {
            others[key] = value.0
        }
        let timestamp = self["TIMESTAMP"].map { schema.column(named: $0.uppercased()) != nil ? $0.uppercased() : $0 }
        return SourceDescription(
            name: name, kind: kind, schema: schema, topic: self["KAFKA_TOPIC"] ?? name, keyFormat: keyFormat, valueFormat: valueFormat,
            partitions: Int(self["PARTITIONS"] ?? "1") ?? 1, timestampColumn: timestamp, timestampFormat: self["TIMESTAMP_FORMAT"],
            windowType: self["WINDOW_TYPE"].flatMap { WindowType(rawValue: $0.uppercased()) }, isReadOnly: readOnly,
            properties: others)
    }
}

/// Property name → (value, span), in the order set. A statement has a handful of properties and planning looks them up
/// a few dozen times, so a list searched linearly beats hashing every name.
struct PropertyList {
    private(set) var entries: [(key: String, value: (String, SourceSpan))] = []

    subscript(name: String) -> (String, SourceSpan)? {
        get { entries.first { $0.key.isSameName(as: name) }?.value }
        set {
            let index = entries.firstIndex { $0.key.isSameName(as: name) }
            switch (index, newValue) {
            case (let i?, let value?): entries[i].value = value
            case (let i?, nil): entries.remove(at: i)
            case (nil, let value?): entries.append((name, value))
            case (nil, nil): break
            }
        }
    }
}
