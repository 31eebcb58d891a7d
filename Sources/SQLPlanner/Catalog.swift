import Relational
import Streams
import SQLSyntax

/// What statements are bound against: the streams and tables, the named types, and the function registry. A value
/// type: the engine keeps the current catalog and replaces it as DDL statements run (and persists the statements,
/// not this struct).
public struct Catalog: Sendable {
    public private(set) var sources: [String: SourceDescription] = [:]
    public private(set) var types: [String: DataType] = [:]
    public var functions: FunctionRegistry

    public init(functions: FunctionRegistry = .builtIn) {
        self.functions = functions
    }

    /// The source called `name`, or `undefinedSource` with the closest existing name as a hint.
    public func source(_ name: Identifier) throws(PlanError) -> SourceDescription {
        if let source = sources[name.value] { return source }
        throw PlanError(
            .undefinedSource, "stream or table \(name.value) does not exist",
            hint: PlanError.suggestion(for: name.value, among: Array(sources.keys)), at: name.span)
    }

    public mutating func add(_ source: SourceDescription, replacing: Bool = false) throws(PlanError) {
        if sources[source.name] != nil && !replacing {
            throw PlanError(.duplicateObject, "\(source.kind.rawValue.lowercased()) \(source.name) already exists")
        }
        sources[source.name] = source
    }

    public mutating func removeSource(_ name: String) { sources[name] = nil }

    public func type(_ name: Identifier) throws(PlanError) -> DataType {
        if let type = types[name.value] { return type }
        throw PlanError(.undefinedType, "type \(name.value) does not exist",
                        hint: PlanError.suggestion(for: name.value, among: Array(types.keys) + Self.builtInTypeNames), at: name.span)
    }

    /// The built-in type names a misspelt type is compared with (`STRNG` → STRING).
    static let builtInTypeNames = [
        "BOOLEAN", "INT", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "VARCHAR", "STRING", "BYTES", "DATE", "TIME",
        "TIMESTAMP", "ARRAY", "MAP", "STRUCT",
    ]

    public mutating func addType(_ name: String, _ type: DataType) { types[name] = type }
    public mutating func removeType(_ name: String) { types[name] = nil }

    /// Resolves a parsed type name, expanding named types from CREATE TYPE.
    public func resolve(_ typeName: TypeName) throws(PlanError) -> DataType {
        switch typeName.kind {
        case .boolean: return .boolean
        case .int: return .int
        case .bigint: return .bigint
        case .double: return .double
        case .decimal(let precision, let scale):
            do {
                return try DataType.checkedDecimal(precision: precision, scale: scale)
            } catch {
                throw PlanError(.numericOutOfRange, error.message, at: typeName.span)
            }
        case .varchar: return .string
        case .boundedVarchar:
            throw PlanError(.featureNotSupported, "VARCHAR(n) is only supported as a CAST target, where it cuts text to n characters",
                            hint: "declare the column as VARCHAR (STRING), which has no length limit", at: typeName.span)
        case .bytes: return .bytes
        case .date: return .date
        case .time: return .time
        case .timestamp: return .timestamp
        case .array(let element): return .array(try resolve(element))
        case .map(let key, let value):
            let keyType = try resolve(key)
            guard keyType == .string else {
                throw PlanError(.featureNotSupported, "MAP keys must be STRING, not \(keyType)", at: key.span)
            }
            return .map(key: keyType, value: try resolve(value))
        case .structure(let fields):
            var resolved: [DataType.StructField] = []
            for field in fields { resolved.append(.init(field.name.value, try resolve(field.type))) }
            return .struct(resolved)
        case .named(let name):
            if types[name.value] == nil, let synonym = Self.postgresType(name.value, inCast: false) { return synonym }
            return try type(name)
        }
    }

    /// PostgreSQL's names for Sluice's types, unless a CREATE TYPE has the name: exact synonyms (`text`, `int8`,
    /// `float8`…) wherever a type is written; with `inCast`, also those Sluice has only wider versions of
    /// (SMALLINT and REAL widen to INT and DOUBLE, which hold all their values). As column types the widening
    /// names stay unknown, so that no declared column silently changes type.
    static func postgresType(_ name: String, inCast: Bool) -> DataType? {
        switch name {
        case "TEXT": .string
        case "INT4": .int
        case "INT8": .bigint
        case "FLOAT", "FLOAT8": .double
        case "BOOL": .boolean
        case "BYTEA": .bytes
        case "SMALLINT", "INT2": inCast ? .int : nil
        case "REAL", "FLOAT4": inCast ? .double : nil
        default: nil
        }
    }
}
