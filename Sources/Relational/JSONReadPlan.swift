/// A schema compiled for the JSON decoder: the type tree with each STRUCT's field names pre-encoded for
/// byte-level matching, so that decoding a record never builds a dictionary or a String for a key.
indirect enum JSONReadPlan: Sendable {
    case scalar(DataType)
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
        default: self = .scalar(type)
        }
    }

    var typeName: String {
        switch self {
        case .scalar(let type): type.description
        case .array: "ARRAY"
        case .map: "MAP"
        case .struct: "STRUCT"
        }
    }
}

/// The fields of a STRUCT (or the top-level columns) as the decoder matches them against JSON keys.
///
/// ksqlDB's rule (KsqlJsonDeserializer): a JSON key matches a field whose name equals it exactly, or else
/// a field whose name equals the key upper-cased. An exact match wins over an upper-cased one whatever
/// the key order; among keys of equal rank the last one wins (Jackson keeps the last duplicate).
struct JSONFieldTable: Sendable {
    let names: [[UInt8]]
    let plans: [JSONReadPlan]
    /// True when every name is its own upper-case form: then one upper-cased comparison finds the only
    /// possible match (an exact match is an upper-cased match too).
    let allNamesUpperCase: Bool

    init(_ fields: [(String, DataType)]) throws(RelationalError) {
        var names: [[UInt8]] = []
        var plans: [JSONReadPlan] = []
        for (name, type) in fields {
            names.append(Array(name.utf8))
            plans.append(try JSONReadPlan(type))
        }
        self.names = names
        self.plans = plans
        self.allNamesUpperCase =
            fields.allSatisfy { $0.0 == $0.0.uppercased() } && Set(fields.map(\.0)).count == fields.count
    }

    var count: Int { names.count }

    /// The field a key matches, and whether exactly; `hint` is tried first (keys usually come in order).
    func match(_ key: UnsafeRawBufferPointer, hint: Int) -> (index: Int, exact: Bool)? {
        let ascii = !key.contains { $0 >= 0x80 }
        guard ascii else { return matchUnicode(key) }
        if allNamesUpperCase {
            if hint < names.count, Self.equalsUpperCased(key, names[hint]) { return (hint, Self.equals(key, names[hint])) }
            for index in names.indices where Self.equalsUpperCased(key, names[index]) {
                return (index, Self.equals(key, names[index]))
            }
            return nil
        }
        if let index = names.firstIndex(where: { Self.equals(key, $0) }) { return (index, true) }
        if let index = names.firstIndex(where: { Self.equalsUpperCased(key, $0) }) { return (index, false) }
        return nil
    }

    func matchUnicode(_ key: UnsafeRawBufferPointer) -> (index: Int, exact: Bool)? {
        if let index = names.firstIndex(where: { Self.equals(key, $0) }) { return (index, true) }
        let upper = Array(String(decoding: key, as: UTF8.self).uppercased().utf8)
        if let index = names.firstIndex(of: upper) { return (index, false) }
        return nil
    }

    @inline(__always)
    static func equals(_ key: UnsafeRawBufferPointer, _ name: [UInt8]) -> Bool {
        guard key.count == name.count else { return false }
        return name.withUnsafeBytes { $0.elementsEqual(key) }
    }

    /// ASCII key upper-cased equals `name`.
    @inline(__always)
    static func equalsUpperCased(_ key: UnsafeRawBufferPointer, _ name: [UInt8]) -> Bool {
        guard key.count == name.count else { return false }
        return name.withUnsafeBufferPointer { name in
            for index in 0..<key.count {
                var byte = key[index]
                if byte &- UInt8(ascii: "a") < 26 { byte -= 0x20 }
                if byte != name[index] { return false }
            }
            return true
        }
    }
}
