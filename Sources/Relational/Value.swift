/// One SQL value. The case says the physical representation; the column's `DataType` says its SQL type
/// (a `.decimal` carries its own scale, an `.array` does not carry its element type).
///
/// Representations:
/// - `date`: days since 1970-01-01; `time`: milliseconds since midnight; `timestamp`: milliseconds
///   since the epoch, no time zone (ksqlDB's TIMESTAMP).
/// - `map`: ordered key/value pairs, as they arrived (JSON object order); lookups are linear.
/// - `struct`: field values in the order of the STRUCT type's fields; names live in the type.
///
/// `==` and `hash(into:)` implement *grouping* identity (`IS NOT DISTINCT FROM` within one type): NULL
/// equals NULL, NaN equals NaN, -0.0 equals 0.0, DECIMAL 1.50 equals 1.5. Values of different cases are
/// never `==` (an INT 1 is not the BIGINT 1), which is right for GROUP BY keys, whose column has one type.
/// SQL comparison with NULL semantics and numeric promotion is `Value.compare(_:_:)` and `sqlEquals`.
///
/// Layout: 24 bytes a value (stride). DECIMAL is boxed (`indirect`) so that its 16-byte-aligned 128-bit
/// integer does not make every value 32 bytes; a decimal value costs one allocation instead.
public enum Value: Sendable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case int(Int32)
    case bigint(Int64)
    case double(Double)
    indirect case decimal(SQLDecimal)
    case string(String)
    case bytes([UInt8])
    case date(Int32)
    case time(Int32)
    case timestamp(Int64)
    case array([Value])
    case map([MapEntry])
    case `struct`([Value])

    /// One key/value pair of a MAP value.
    public struct MapEntry: Sendable, Hashable {
        public var key: Value
        public var value: Value

        public init(_ key: Value, _ value: Value) {
            self.key = key
            self.value = value
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The BOOLEAN as a three-valued `Bool?` (nil for NULL); nil for other cases too.
    public var boolValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// An integer case (INT, BIGINT) as Int64.
    public var integerValue: Int64? {
        switch self {
        case .int(let value): Int64(value)
        case .bigint(let value): value
        default: nil
        }
    }

    /// A numeric case as Double (DECIMAL correctly rounded).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .bigint(let value): Double(value)
        case .double(let value): value
        case .decimal(let value): value.doubleValue
        default: nil
        }
    }

    /// The value in an exact decimal, for INT, BIGINT and DECIMAL.
    public var decimalValue: SQLDecimal? {
        switch self {
        case .int(let value): SQLDecimal(Int64(value))
        case .bigint(let value): SQLDecimal(value)
        case .decimal(let value): value
        default: nil
        }
    }

    /// Debug text; user-facing text is `Value.text(_:type:)`.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .boolean(let value): value ? "TRUE" : "FALSE"
        case .int(let value): "\(value)"
        case .bigint(let value): "\(value)"
        case .double(let value): "\(value)"
        case .decimal(let value): value.description
        case .string(let value): "'\(value)'"
        case .bytes(let value): "bytes(\(value.count))"
        case .date(let days): "DATE '\(DateTimeText.formatDate(days))'"
        case .time(let ms): "TIME '\(DateTimeText.formatTime(ms))'"
        case .timestamp(let ms): "TIMESTAMP '\(DateTimeText.formatTimestamp(ms))'"
        case .array(let elements): "[\(elements.map(\.description).joined(separator: ", "))]"
        case .map(let entries): "{\(entries.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
        case .struct(let fields): "(\(fields.map(\.description).joined(separator: ", ")))"
        }
    }
}
