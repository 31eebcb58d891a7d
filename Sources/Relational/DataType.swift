/// A SQL type of Sluice's dialect (ksqlDB's types, sql-features.md §4).
///
/// `description` is the canonical SQL spelling (`DECIMAL(10, 2)`, `ARRAY<STRUCT<\`a\` INT>>`), which the
/// unparser and DESCRIBE print. Struct field names are case-sensitive (the parser upper-cases unquoted
/// names before they get here). `Codable` (with `Column`, `Schema`, `ChangeOp`) so that stored query plans
/// can carry their schemas.
public enum DataType: Sendable, Hashable, Codable, CustomStringConvertible {
    case boolean
    /// 32-bit signed integer (`INT`, `INTEGER`).
    case int
    /// 64-bit signed integer.
    case bigint
    /// IEEE-754 binary64.
    case double
    /// Exact decimal, precision 1...38, scale 0...precision (see `SQLDecimal`).
    case decimal(precision: Int, scale: Int)
    /// Unicode text (`VARCHAR`, `STRING`).
    case string
    case bytes
    /// Days since 1970-01-01.
    case date
    /// Milliseconds since midnight.
    case time
    /// Milliseconds since the epoch, no time zone.
    case timestamp
    indirect case array(DataType)
    /// Maps; JSON and ksqlDB allow only STRING keys, which formats check, not this type.
    indirect case map(key: DataType, value: DataType)
    case `struct`([StructField])

    /// One field of a STRUCT type.
    public struct StructField: Sendable, Hashable, Codable {
        public var name: String
        public var type: DataType

        public init(_ name: String, _ type: DataType) {
            self.name = name
            self.type = type
        }
    }

    /// A DECIMAL type after checking its parameters (1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision).
    public static func checkedDecimal(precision: Int, scale: Int) throws(RelationalError) -> DataType {
        guard (1...SQLDecimal.maxPrecision).contains(precision), (0...precision).contains(scale) else {
            throw RelationalError(
                .numericValueOutOfRange,
                "DECIMAL precision must be between 1 and 38 and scale between 0 and the precision, got DECIMAL(\(precision), \(scale))"
            )
        }
        return .decimal(precision: precision, scale: scale)
    }

    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int: "INTEGER"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .decimal(let precision, let scale): "DECIMAL(\(precision), \(scale))"
        case .string: "STRING"
        case .bytes: "BYTES"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .array(let element): "ARRAY<\(element)>"
        case .map(let key, let value): "MAP<\(key), \(value)>"
        case .struct(let fields): "STRUCT<\(fields.map { "`\($0.name)` \($0.type)" }.joined(separator: ", "))>"
        }
    }

    /// Whether values of this type are numbers (INT, BIGINT, DECIMAL, DOUBLE).
    public var isNumeric: Bool {
        switch self {
        case .int, .bigint, .double, .decimal: true
        default: false
        }
    }

    /// Whether this is ARRAY, MAP or STRUCT.
    public var isCompound: Bool {
        switch self {
        case .array, .map, .struct: true
        default: false
        }
    }

    /// The DECIMAL type an integer type widens to exactly (INT → DECIMAL(10,0), BIGINT → DECIMAL(19,0)),
    /// the type itself for a DECIMAL, nil otherwise (sql-features.md §4).
    public var asDecimalType: (precision: Int, scale: Int)? {
        switch self {
        case .int: (10, 0)
        case .bigint: (19, 0)
        case .decimal(let precision, let scale): (precision, scale)
        default: nil
        }
    }
}
