/// One SQL value inside the catalog evaluator. Integers, text and oids carry their PostgreSQL type oid so
/// result columns get the type a client expects (attnum is int2, relname is name, oid::regclass prints a name).
enum CatalogValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64, type: UInt32)
    case float(Double, type: UInt32)
    case text(String, type: UInt32)
    /// oid, regclass, regtype, regproc, regnamespace, regrole: a number that prints per its type.
    case oid(UInt32, type: UInt32)
    case array([CatalogValue], type: UInt32)
    case record([String], [CatalogValue])
    /// The rows of a set-returning function in a select list; expanded into rows by the projection.
    case rows([CatalogValue])

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    static func text(_ s: String) -> CatalogValue { .text(s, type: PGTypeOID.text) }
    static func name(_ s: String) -> CatalogValue { .text(s, type: PGTypeOID.name) }
    static func char(_ s: String) -> CatalogValue { .text(s, type: PGTypeOID.char) }
    static func int2(_ v: Int) -> CatalogValue { .int(Int64(v), type: PGTypeOID.int2) }
    static func int4(_ v: Int) -> CatalogValue { .int(Int64(v), type: PGTypeOID.int4) }
    static func int8(_ v: Int) -> CatalogValue { .int(Int64(v), type: PGTypeOID.int8) }
    static func oid(_ v: UInt32) -> CatalogValue { .oid(v, type: PGTypeOID.oid) }
    static func regproc(_ v: UInt32) -> CatalogValue { .oid(v, type: PGTypeOID.regproc) }
    static func textOrNull(_ s: String?) -> CatalogValue { s.map { .text($0) } ?? .null }

    /// The PostgreSQL type oid of this value, or nil for an untyped NULL.
    var typeOID: UInt32? {
        switch self {
        case .null, .rows: return nil
        case .bool: return PGTypeOID.bool
        case .int(_, let t), .float(_, let t), .text(_, let t), .oid(_, let t), .array(_, let t): return t
        case .record: return PGTypeOID.record
        }
    }

    /// Truth value for WHERE / AND / OR: nil is SQL UNKNOWN.
    var truth: Bool? {
        switch self {
        case .bool(let b): return b
        case .text(let s, _): return CatalogValue.parseBool(s)
        case .int(let v, _): return v != 0
        default: return nil
        }
    }

    static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased().trimmedSQL {
        case "t", "true", "y", "yes", "on", "1": return true
        case "f", "false", "n", "no", "off", "0": return false
        default: return nil
        }
    }

    var asInt: Int64? {
        switch self {
        case .int(let v, _): return v
        case .oid(let v, _): return Int64(v)
        case .float(let d, _): return d.isFinite && abs(d) < 9e18 ? Int64(d.rounded()) : nil
        case .text(let s, _): return Int64(s.trimmedSQL)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    var asDouble: Double? {
        switch self {
        case .int(let v, _): return Double(v)
        case .oid(let v, _): return Double(v)
        case .float(let d, _): return d
        case .text(let s, _): return Double(s.trimmedSQL)
        default: return nil
        }
    }

    var isNumeric: Bool {
        switch self {
        case .int, .float, .oid: return true
        default: return false
        }
    }
}

extension String {
    /// The text without leading or trailing blanks (Foundation-free).
    var trimmedSQL: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
