import SluiceCore
/// Schema-directed decoding: JSON values straight into `Value`s of the expected SQL type, with ksqlDB's
/// coercions (KsqlJsonDeserializer, JsonSerdeUtils):
/// - BOOLEAN: only `true`/`false` (ksqlDB refuses `"true"`).
/// - INT, BIGINT: a number (a fraction truncates toward zero) or a string of decimal digits
///   (`Integer.parseInt`); beyond the type's range is an error (ksqlDB would wrap silently).
/// - DOUBLE: a number, or a string holding one (also `"NaN"`, `"Infinity"`).
/// - DECIMAL(p, s): a number or numeric string, exact; it must fit without rounding (ksqlDB's
///   `DecimalUtil.ensureFit`; trailing zeros beyond the scale are fine).
/// - STRING: a string; a number keeps its literal text; a boolean becomes `true`/`false`; an object its
///   compact JSON text; an array `[e1, e2]` of its elements as strings (ksqlDB's quirk, kept for
///   compatibility).
/// - BYTES: base64 text. DATE, TIME, TIMESTAMP: integers like INT/INT/BIGINT (ksqlDB's connect
///   representation: epoch days, millisecond of day, epoch milliseconds).
/// - ARRAY: an array; MAP: an object (keys are strings); STRUCT: an object matched as `JSONFieldTable`
///   says, unknown keys ignored, missing fields NULL. `null` is NULL everywhere.
extension JSONScanner {
    mutating func value(_ plan: JSONReadPlan, depth: Int) throws(RelationalError) -> Value {
        let byte = try peek()
        if byte == UInt8(ascii: "n") {
            try literal("null")
            return .null
        }
        switch plan {
        case .scalar(let type):
            return try scalar(type, byte, depth: depth)
        case .array(let element):
            guard byte == UInt8(ascii: "[") else { throw mismatch(byte, plan.typeName) }
            return .array(try array(element, depth: depth + 1))
        case .map(let valuePlan):
            guard byte == UInt8(ascii: "{") else { throw mismatch(byte, plan.typeName) }
            return .map(try map(valuePlan, depth: depth + 1))
        case .struct(let table):
            guard byte == UInt8(ascii: "{") else { throw mismatch(byte, plan.typeName) }
            var fields = [Value](repeating: .null, count: table.count)
            try object(into: &fields, table, depth: depth + 1)
            return .struct(fields)
        }
    }

    /// The value of field `field` of `table`: scalars without touching the (reference-counted) plan.
    @inline(__always)
    mutating func fieldValue(_ table: JSONFieldTable, _ field: Int, depth: Int) throws(RelationalError) -> Value {
        let kind = table.kinds[field]
        if case .compound = kind { return try value(table.plans[field], depth: depth) }
        let byte = try peek()
        if byte == UInt8(ascii: "n") {
            try literal("null")
            return .null
        }
        return try scalar(kind, byte, depth: depth)
    }

    func mismatch(_ byte: UInt8, _ typeName: String) -> RelationalError {
        let kind: String
        switch byte {
        case UInt8(ascii: "{"): kind = "OBJECT"
        case UInt8(ascii: "["): kind = "ARRAY"
        case UInt8(ascii: "\""): kind = "STRING"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = "BOOLEAN"
        case UInt8(ascii: "-"), 0x30...0x39: kind = "NUMBER"
        default: return error("unexpected character")
        }
        return RelationalError(.malformedRecord, "can't convert JSON \(kind) to \(typeName)")
    }

    // MARK: - Containers

    mutating func array(_ element: JSONReadPlan, depth: Int) throws(RelationalError) -> [Value] {
        try checkDepth(depth)
        index += 1
        var result: [Value] = []
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return result
        }
        while true {
            do { result.append(try value(element, depth: depth)) } catch {
                throw error.prefixingPath("[\(result.count)]")
            }
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "]") { return result }
            guard next == UInt8(ascii: ",") else {
                index -= 1
                throw self.error("expected ',' or ']'")
            }
        }
    }

    /// A JSON object as MAP entries in key order. A repeated key keeps its first position and takes its last
    /// value (Jackson's ObjectNode, which ksqlDB reads through, does the same).
    mutating func map(_ valuePlan: JSONReadPlan, depth: Int) throws(RelationalError) -> [Value.MapEntry] {
        try checkDepth(depth)
        index += 1
        var result: [Value.MapEntry] = []
        var lookup: [[UInt8]: Int] = [:]  // built only for large maps, where a linear search would be quadratic
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return result
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a field name") }
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':'")
            let value: Value
            do { value = try self.value(valuePlan, depth: depth) } catch { throw error.prefixingPath(".\(key)") }
            if let existing = Self.position(of: key, in: result, lookup: &lookup) {
                result[existing].value = value
            } else {
                result.append(Value.MapEntry(.string(key), value))
            }
            guard try endOfMember(close: UInt8(ascii: "}")) else { return result }
        }
    }

    /// Where `key` already is among `entries`, comparing bytes (Java's `String.equals`, not Unicode canonical
    /// equivalence); `lookup` indexes large maps by key bytes and records the position `key` is about to take.
    static func position(of key: String, in entries: [Value.MapEntry], lookup: inout [[UInt8]: Int]) -> Int? {
        guard entries.count > 16 else {
            return entries.firstIndex {
                if case .string(let k) = $0.key { k.utf8.elementsEqual(key.utf8) } else { false }
            }
        }
        if lookup.isEmpty {
            for (offset, entry) in entries.enumerated() {
                if case .string(let k) = entry.key { lookup[Array(k.utf8)] = offset }
            }
        }
        let bytes = Array(key.utf8)
        if let found = lookup[bytes] { return found }
        lookup[bytes] = entries.count
        return nil
    }

    /// After a member: consumes `,` (true: more follow) or the closing bracket (false).
    mutating func endOfMember(close: UInt8) throws(RelationalError) -> Bool {
        let next = try peek()
        if next == UInt8(ascii: ",") {
            index += 1
            return true
        }
        guard next == close else { throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
        index += 1
        return false
    }

    /// Decodes the object at the current `{` into `fields` (one slot per table field, pre-set to NULL).
    mutating func object(into fields: inout [Value], _ table: JSONFieldTable, depth: Int) throws(RelationalError) {
        try checkDepth(depth)
        index += 1
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        var exactlyMatched: UInt64 = 0
        var hint = 0
        repeat {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a field name") }
            let match = try matchKey(table, hint: hint)
            try expect(UInt8(ascii: ":"), "':'")
            guard let (field, exact) = match else {
                try skipValue(depth: depth)
                continue
            }
            let bit: UInt64 = field < 64 ? 1 << UInt64(field) : 0
            if exact || exactlyMatched & bit == 0 {
                do { fields[field] = try fieldValue(table, field, depth: depth) } catch {
                    throw error.prefixingPath(".\(table.name(field))")
                }
                if exact { exactlyMatched |= bit }
            } else {
                try skipValue(depth: depth)
            }
            hint = field + 1
        } while try endOfMember(close: UInt8(ascii: "}"))
    }

    mutating func matchKey(_ table: JSONFieldTable, hint: Int) throws(RelationalError) -> (Int, Bool)? {
        let (start, end, escaped) = try scanString()
        guard escaped else { return table.match(slice(start, end), hint: hint) }
        try unescape(start, end)
        let key = String(decoding: scratch, as: UTF8.self)
        return try NumberText.withUTF8(key) { bytes in table.match(bytes, hint: hint) }
    }

    // MARK: - Scalars

    mutating func scalar(_ type: JSONScalarType, _ byte: UInt8, depth: Int) throws(RelationalError) -> Value {
        switch type {
        case .boolean: return try boolean(byte)
        case .int: return .int(try int32(byte, type))
        case .date: return .date(try int32(byte, type))
        case .time: return .time(try int32(byte, type))
        case .bigint: return .bigint(try int64(byte, type))
        case .timestamp: return .timestamp(try int64(byte, type))
        case .double: return .double(try double(byte))
        case .decimal(let precision, let scale): return .decimal(try decimal(byte, precision, scale))
        case .string: return .string(try string(byte, depth: depth))
        case .unreadString:
            guard byte == UInt8(ascii: "\"") else {
                _ = try string(byte, depth: depth)
                return .null
            }
            let (start, end, escaped) = try scanString()
            if escaped { try unescape(start, end) }  // what `readString` rejects (unpaired surrogates)
            return .null
        case .bytes:
            guard byte == UInt8(ascii: "\"") else { throw mismatch(byte, type.typeName) }
            return .bytes(try Base64.decodeBytes(try readString()))
        case .compound:
            preconditionFailure("compound types are compiled to JSONReadPlan cases")
        }
    }

    mutating func boolean(_ byte: UInt8) throws(RelationalError) -> Value {
        if byte == UInt8(ascii: "t") {
            try literal("true")
            return .boolean(true)
        }
        if byte == UInt8(ascii: "f") {
            try literal("false")
            return .boolean(false)
        }
        throw mismatch(byte, "BOOLEAN")
    }

    mutating func int64(_ byte: UInt8, _ type: JSONScalarType) throws(RelationalError) -> Int64 {
        if byte == UInt8(ascii: "-") || byte &- 0x30 < 10 {
            return try int64(try scanNumber(), typeName: type.typeName)
        }
        guard byte == UInt8(ascii: "\"") else { throw mismatch(byte, type.typeName) }
        return try NumberText.withUTF8(try readString()) { (text) throws(RelationalError) in
            try NumberText.parseInt64(text, typeName: type.typeName)
        }
    }

    mutating func int32(_ byte: UInt8, _ type: JSONScalarType) throws(RelationalError) -> Int32 {
        let wide = try int64(byte, type)
        guard let value = Int32(exactly: wide) else {
            throw RelationalError(.numericValueOutOfRange, "value \(wide) is out of range for type \(type.typeName)")
        }
        return value
    }

    mutating func double(_ byte: UInt8) throws(RelationalError) -> Double {
        if byte == UInt8(ascii: "-") || byte &- 0x30 < 10 { return double(try scanNumber()) }
        guard byte == UInt8(ascii: "\"") else { throw mismatch(byte, "DOUBLE") }
        return try NumberText.withUTF8(try readString()) { (text) throws(RelationalError) in
            try NumberText.parseDouble(NumberText.trimmed(text))
        }
    }

    mutating func decimal(_ byte: UInt8, _ precision: Int, _ scale: Int) throws(RelationalError) -> SQLDecimal {
        let exact: SQLDecimal
        if byte == UInt8(ascii: "-") || byte &- 0x30 < 10 {
            let token = try scanNumber()
            exact = try SQLDecimal(parsingUTF8: slice(token.start, token.end))
        } else if byte == UInt8(ascii: "\"") {
            exact = try SQLDecimal(parsing: try readString())
        } else {
            throw mismatch(byte, "DECIMAL(\(precision), \(scale))")
        }
        return try exact.coerced(precision: precision, scale: scale, rounding: false)
    }

    mutating func string(_ byte: UInt8, depth: Int) throws(RelationalError) -> String {
        switch byte {
        case UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "{"):
            var text: [UInt8] = []
            try copyValue(depth: depth, to: &text)
            return String(decoding: text, as: UTF8.self)
        case UInt8(ascii: "["):
            let elements = try array(.scalar(.string), depth: depth + 1)
            return "[" + elements.map { if case .string(let s) = $0 { s } else { "null" } }.joined(separator: ", ")
                + "]"
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return try boolean(byte).boolValue! ? "true" : "false"
        case UInt8(ascii: "-"), 0x30...0x39:
            let token = try scanNumber()
            return String(decoding: slice(token.start, token.end), as: UTF8.self)
        default:
            throw error("unexpected character")
        }
    }
}

extension RelationalError {
    /// This error with `component` put in front of its path (paths are built on the way out of the recursion).
    func prefixingPath(_ component: String) -> RelationalError {
        var copy = self
        copy.path = component + (path ?? "")
        return copy
    }
}
