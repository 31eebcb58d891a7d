/// A schema compiled for the JSON decoder: the type tree with each STRUCT's field names pre-encoded for
/// byte-level matching, so that decoding a record never builds a dictionary or a String for a key.
/// Scalar types are a trivial enum (`JSONScalarType`), so dispatching on them costs no reference counting.
indirect enum JSONReadPlan: Sendable {
    case scalar(JSONScalarType)
    case array(JSONReadPlan)
    case map(JSONReadPlan)
    case `struct`(JSONFieldTable)

    init(_ type: DataType) throws(RelationalError) {
        switch type {
        case .array(let element): self = .array(try JSONReadPlan(element))
        case .map(let key, let value):
            guard key == .string else {
                throw RelationalError(.unsupportedSchema, "JSON supports only MAPs with STRING keys, not \(type)")
            }
            self = .map(try JSONReadPlan(value))
        case .struct(let fields): self = .struct(try JSONFieldTable(fields.map { ($0.name, $0.type) }))
        default: self = .scalar(JSONScalarType(type))
        }
    }

    var typeName: String {
        switch self {
        case .scalar(let type): type.typeName
        case .array: "ARRAY"
        case .map: "MAP"
        case .struct: "STRUCT"
        }
    }
}

/// The scalar SQL types as the JSON decoder dispatches on them; `compound` defers to a `JSONReadPlan`.
enum JSONScalarType: Sendable, Equatable {
    case boolean, int, bigint, double, string, bytes, date, time, timestamp, compound
    case decimal(precision: Int, scale: Int)
    /// A STRING column no operator reads: a JSON string is checked (as `string` would) but not materialized, and
    /// the column stays NULL. STRING accepts every well-formed value, so skipping one rejects the same records.
    case unreadString

    init(_ type: DataType) {
        switch type {
        case .boolean: self = .boolean
        case .int: self = .int
        case .bigint: self = .bigint
        case .double: self = .double
        case .decimal(let precision, let scale): self = .decimal(precision: precision, scale: scale)
        case .string: self = .string
        case .bytes: self = .bytes
        case .date: self = .date
        case .time: self = .time
        case .timestamp: self = .timestamp
        case .array, .map, .struct: self = .compound
        }
    }

    var typeName: String {
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
        case .compound: "compound"
        case .unreadString: "STRING"
        }
    }
}

/// The fields of a STRUCT (or the top-level columns) as the decoder matches them against JSON keys.
///
/// ksqlDB's rule (KsqlJsonDeserializer): a JSON key matches a field whose name equals it exactly, or else
/// a field whose name equals the key upper-cased. An exact match wins over an upper-cased one whatever
/// the key order; among keys of equal rank the last one wins (Jackson keeps the last duplicate).
struct JSONFieldTable: Sendable {
    /// All names' UTF-8, back to back; field i is `nameBytes[nameStarts[i]..<nameStarts[i + 1]]`.
    let nameBytes: [UInt8]
    let nameStarts: [Int]
    let kinds: [JSONScalarType]
    /// The plan of each field (used for compound fields).
    let plans: [JSONReadPlan]
    /// True when every name is its own upper-case form and names are distinct: then one upper-cased
    /// comparison finds the only possible match (an exact match is an upper-cased match too).
    let allNamesUpperCase: Bool

    /// - Parameter unread: fields no operator reads (STRING ones are then checked but not materialized).
    init(_ fields: [(String, DataType)], unread: Set<Int> = []) throws(RelationalError) {
        var nameBytes: [UInt8] = []
        var nameStarts = [0]
        var plans: [JSONReadPlan] = []
        for (name, type) in fields {
            nameBytes.append(contentsOf: name.utf8)
            nameStarts.append(nameBytes.count)
            plans.append(try JSONReadPlan(type))
        }
        self.nameBytes = nameBytes
        self.nameStarts = nameStarts
        self.plans = plans
        self.kinds = fields.enumerated().map { field, entry in
            let kind = JSONScalarType(entry.1)
            return kind == .string && unread.contains(field) ? .unreadString : kind
        }
        self.allNamesUpperCase =
            fields.allSatisfy { $0.0 == $0.0.uppercased() } && Set(fields.map(\.0)).count == fields.count
    }

    var count: Int { kinds.count }

    func name(_ field: Int) -> String {
        String(decoding: nameBytes[nameStarts[field]..<nameStarts[field + 1]], as: UTF8.self)
    }

    /// The field a key matches, and whether exactly; `hint` is tried first (keys usually come in order).
    func match(_ key: UnsafeRawBufferPointer, hint: Int) -> (index: Int, exact: Bool)? {
        var ascii = true
        for byte in key where byte >= 0x80 {
            ascii = false
            break
        }
        return nameBytes.withUnsafeBufferPointer { names in
            guard ascii else { return matchUnicode(key, names) }
            if allNamesUpperCase {
                if hint < count, let exact = compare(key, names, hint) { return (hint, exact) }
                for field in 0..<count {
                    if let exact = compare(key, names, field) { return (field, exact) }
                }
                return nil
            }
            for field in 0..<count where compare(key, names, field) == true { return (field, true) }
            for field in 0..<count where compare(key, names, field) == false { return (field, false) }
            return nil
        }
    }

    /// nil when `key` upper-cased (ASCII) differs from field `field`'s name; else whether it is exactly equal.
    @inline(__always)
    func compare(_ key: UnsafeRawBufferPointer, _ names: UnsafeBufferPointer<UInt8>, _ field: Int) -> Bool? {
        let start = nameStarts[field]
        guard nameStarts[field + 1] - start == key.count else { return nil }
        var exact = true
        for offset in 0..<key.count {
            let byte = key[offset]
            let name = names[start + offset]
            if byte == name { continue }
            guard byte &- UInt8(ascii: "a") < 26, byte - 0x20 == name else { return nil }
            exact = false
        }
        return exact
    }

    func matchUnicode(_ key: UnsafeRawBufferPointer, _ names: UnsafeBufferPointer<UInt8>) -> (index: Int, exact: Bool)?
    {
        for field in 0..<count where names[nameStarts[field]..<nameStarts[field + 1]].elementsEqual(key) {
            return (field, true)
        }
        let upper = Array(String(decoding: key, as: UTF8.self).uppercased().utf8)
        for field in 0..<count where names[nameStarts[field]..<nameStarts[field + 1]].elementsEqual(upper) {
            return (field, false)
        }
        return nil
    }
}
