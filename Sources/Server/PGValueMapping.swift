import PGWire
import Relational

/// How Sluice's types and values appear to PostgreSQL clients: INT int4, BIGINT int8, DOUBLE float8, DECIMAL numeric,
/// STRING text, BYTES bytea, DATE/TIME/TIMESTAMP their PostgreSQL types, ARRAY<T> T[], STRUCT and MAP json.
enum PGValueMapping {
    static func type(of type: DataType) -> PGType {
        switch type {
        case .boolean: .bool
        case .int: .int4
        case .bigint: .int8
        case .double: .float8
        case .decimal: .numeric
        case .string: .text
        case .bytes: .bytea
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .array(let element):
            switch element {
            case .struct, .map, .array: .json
            default: self.type(of: element).array
            }
        case .map, .struct: .json
        }
    }

    static func column(_ column: Column) -> PGColumn {
        PGColumn(name: postgresName(column.name), type: type(of: column.type))
    }

    /// A Sluice name as PostgreSQL clients see it: names from unquoted identifiers (upper-cased, as in ksqlDB) in
    /// PostgreSQL's lower case; names with a lower-case letter, which only a quoted identifier gives, unchanged.
    static func postgresName(_ name: String) -> String {
        // ASCII names (nearly all) are decided byte by byte: Character properties cost a Unicode table lookup
        // each, and result columns are named on every execution.
        var hasUpper = false
        for byte in name.utf8 {
            if byte >= 0x80 { return name.contains(where: \.isLowercase) ? name : name.lowercased() }
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return name }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        return hasUpper ? name.lowercased() : name
    }

    static func cell(_ value: Value, _ type: DataType) -> PGCell {
        switch (value, type) {
        case (.null, _): return .null
        case (.boolean(let b), _): return .bool(b)
        case (.int(let v), _): return .int4(v)
        case (.bigint(let v), _): return .int8(v)
        case (.double(let v), _): return .float8(v)
        case (.decimal(let d), _): return .numeric(d.description)
        case (.string(let s), _): return .text(s)
        case (.bytes(let b), _): return .bytea(b)
        case (.date(let d), _): return .date(d - 10_957)  // PostgreSQL counts days from 2000-01-01
        case (.time(let ms), _): return .time(Int64(ms) * 1000)
        case (.timestamp(let ms), _): return .timestamp((ms - 946_684_800_000) * 1000)
        case (.array(let items), .array(let element)):
            if case .json = self.type(of: type) { return .json(json(value, type)) }
            return .array(element: self.type(of: element), items.map { cell($0, element) })
        default: return .json(json(value, type))
        }
    }

    /// STRUCT, MAP and nested values as JSON text.
    static func json(_ value: Value, _ type: DataType) -> String {
        switch (value, type) {
        case (.null, _): return "null"
        case (.struct(let fields), .struct(let types)):
            return "{" + zip(fields, types).map { "\(quote($1.name)):\(json($0, $1.type))" }.joined(separator: ",") + "}"
        case (.map(let entries), .map(_, let valueType)):
            return "{" + entries.map { "\(quote(keyText($0.key))):\(json($0.value, valueType))" }.joined(separator: ",") + "}"
        case (.array(let items), .array(let element)):
            return "[" + items.map { json($0, element) }.joined(separator: ",") + "]"
        case (.string(let s), _): return quote(s)
        case (.boolean(let b), _): return b ? "true" : "false"
        default: return (try? Value.text(value, type: type)).map { value.isNumeric ? $0 : quote($0) } ?? "null"
        }
    }

    private static func keyText(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return value.description
    }

    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension Value {
    var isNumeric: Bool {
        switch self {
        case .int, .bigint, .double, .decimal: true
        default: false
        }
    }
}
