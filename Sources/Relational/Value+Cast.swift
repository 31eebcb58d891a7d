/// CAST between SQL types (`CAST(x AS T)`), also used for implicit widening.
///
/// The rules (ksqlDB's CAST where it has one, PostgreSQL's errors):
/// - NULL casts to NULL of any type; a type casts to itself unchanged.
/// - Anything except BYTES casts to STRING (`Value.text`); compound values become JSON text.
/// - STRING casts to BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL, DATE, TIME and TIMESTAMP by parsing its text,
///   trimmed of surrounding whitespace (`NumberText`, `DateTimeText`).
/// - Numbers cast to each other. DOUBLE and DECIMAL to INT/BIGINT truncate toward zero (ksqlDB, Java
///   semantics); to DECIMAL(p, s) round half up. Out of range is `numericValueOutOfRange`, never a wrap.
/// - DATE → TIMESTAMP is midnight; TIMESTAMP → DATE and TIMESTAMP → TIME take the UTC day and time of day.
/// - ARRAY, MAP and STRUCT cast element by element; STRUCT fields are matched by name, missing ones NULL.
/// - Every other pair is `cannotCoerce` (e.g. BOOLEAN ↔ INT, BYTES ↔ STRING: use TO_BYTES/FROM_BYTES).
extension Value {
    /// `CAST(value AS target)` for a value of type `source`.
    public static func cast(_ value: Value, from source: DataType, to target: DataType) throws(RelationalError)
        -> Value
    {
        if case .null = value { return .null }
        if source == target { return value }
        switch target {
        case .string: return .string(try text(value, type: source))
        case .boolean: return try castToBoolean(value, from: source)
        case .int: return .int(try castToInt32(value, from: source))
        case .bigint: return .bigint(try castToInt64(value, from: source))
        case .double: return .double(try castToDouble(value, from: source))
        case .decimal(let precision, let scale): return .decimal(try castToDecimal(value, source, precision, scale))
        case .date, .time, .timestamp: return try castToTemporal(value, from: source, to: target)
        case .array, .map, .struct: return try castCompound(value, from: source, to: target)
        case .bytes: throw cannotCoerce(source, target)
        }
    }

    /// Whether `CAST(x AS target)` is allowed for x of type `source` (it may still fail on a value).
    public static func canCast(from source: DataType, to target: DataType) -> Bool {
        if source == target { return true }
        switch (source, target) {
        case (.bytes, _), (_, .bytes): return false
        case (_, .string): return true
        case (.string, let target): return !target.isCompound
        case (.boolean, _), (_, .boolean): return false
        case (let s, let t) where s.isNumeric && t.isNumeric: return true
        case (.date, .timestamp), (.timestamp, .date), (.timestamp, .time): return true
        case (.array(let s), .array(let t)): return canCast(from: s, to: t)
        case (.map(let sk, let sv), .map(let tk, let tv)): return canCast(from: sk, to: tk) && canCast(from: sv, to: tv)
        case (.struct(let s), .struct(let t)):
            return t.allSatisfy { field in
                s.first { $0.name == field.name }.map { canCast(from: $0.type, to: field.type) } ?? true
            }
        default: return false
        }
    }

    static func cannotCoerce(_ source: DataType, _ target: DataType) -> RelationalError {
        RelationalError(.cannotCoerce, "cannot cast type \(source) to \(target)")
    }

    // MARK: - Scalars

    static func castToBoolean(_ value: Value, from source: DataType) throws(RelationalError) -> Value {
        guard case .string(let text) = value else { throw cannotCoerce(source, .boolean) }
        return .boolean(
            try NumberText.withUTF8(text) { (b) throws(RelationalError) in
                try NumberText.parseBoolean(NumberText.trimmed(b))
            })
    }

    static func castToInt64(_ value: Value, from source: DataType, target: DataType = .bigint)
        throws(RelationalError) -> Int64
    {
        switch value {
        case .int(let v): return Int64(v)
        case .bigint(let v): return v
        case .double(let v): return try truncatedInt64(v, target: target)
        case .decimal(let v):
            let whole = v.unscaled / SQLDecimal.powersOfTen[v.scale]
            guard let result = Int64(exactly: whole) else { throw outOfRange(v.description, target) }
            return result
        case .string(let text):
            return try NumberText.withUTF8(text) { (b) throws(RelationalError) in
                try NumberText.parseInt64(NumberText.trimmed(b), typeName: target == .int ? "integer" : "bigint")
            }
        default: throw cannotCoerce(source, target)
        }
    }

    static func castToInt32(_ value: Value, from source: DataType) throws(RelationalError) -> Int32 {
        let wide = try castToInt64(value, from: source, target: .int)
        guard let result = Int32(exactly: wide) else {
            if case .string(let text) = value { throw outOfRange("\"\(text)\"", .int) }
            throw outOfRange("\(wide)", .int)
        }
        return result
    }

    /// Truncation toward zero; NaN, infinities and values beyond Int64 are out of range.
    static func truncatedInt64(_ value: Double, target: DataType) throws(RelationalError) -> Int64 {
        guard value.isFinite, value > -9_223_372_036_854_777_856.0, value < 9_223_372_036_854_775_808.0 else {
            throw outOfRange(NumberText.doubleText(value), target)
        }
        return Int64(value.rounded(.towardZero))
    }

    static func castToDouble(_ value: Value, from source: DataType) throws(RelationalError) -> Double {
        if let number = value.doubleValue { return number }
        guard case .string(let text) = value else { throw cannotCoerce(source, .double) }
        return try NumberText.withUTF8(text) { (b) throws(RelationalError) in
            try NumberText.parseDouble(NumberText.trimmed(b))
        }
    }

    static func castToDecimal(_ value: Value, _ source: DataType, _ precision: Int, _ scale: Int)
        throws(RelationalError) -> SQLDecimal
    {
        let exact: SQLDecimal
        switch value {
        case .int, .bigint, .decimal: exact = value.decimalValue!
        case .double(let v): exact = try SQLDecimal(v, scale: scale)
        case .string(let text): exact = try SQLDecimal(parsing: text)
        default: throw cannotCoerce(source, .decimal(precision: precision, scale: scale))
        }
        return try exact.coerced(precision: precision, scale: scale)
    }

    static func outOfRange(_ text: String, _ type: DataType) -> RelationalError {
        RelationalError(.numericValueOutOfRange, "value \(text) is out of range for type \(type)")
    }

    static func castToTemporal(_ value: Value, from source: DataType, to target: DataType) throws(RelationalError)
        -> Value
    {
        switch (value, target) {
        case (.string(let text), .date): return .date(try parseDateLeniently(text))
        case (.string(let text), .time): return .time(try DateTimeText.parseTime(text))
        case (.string(let text), .timestamp): return .timestamp(try DateTimeText.parseTimestamp(text))
        case (.date(let days), .timestamp): return .timestamp(Int64(days) * DateTimeText.msPerDay)
        case (.timestamp(let ms), .date):
            guard let days = Int32(exactly: DateTimeText.floorDivMod(ms, DateTimeText.msPerDay).0) else {
                throw RelationalError(.datetimeFieldOverflow, "date out of range")
            }
            return .date(days)
        case (.timestamp(let ms), .time): return .time(Int32(DateTimeText.floorDivMod(ms, DateTimeText.msPerDay).1))
        default: throw cannotCoerce(source, target)
        }
    }

    /// A date, or a timestamp's day (`'2024-01-02T10:00:00'` casts to DATE as in ksqlDB).
    static func parseDateLeniently(_ text: String) throws(RelationalError) -> Int32 {
        do { return try DateTimeText.parseDate(text) } catch {
            guard let ms = try? DateTimeText.parseTimestamp(text),
                let days = Int32(exactly: DateTimeText.floorDivMod(ms, DateTimeText.msPerDay).0)
            else { throw error }
            return days
        }
    }

    // MARK: - Compound

    static func castCompound(_ value: Value, from source: DataType, to target: DataType) throws(RelationalError)
        -> Value
    {
        switch (value, source, target) {
        case (.array(let elements), .array(let s), .array(let t)):
            var result: [Value] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try cast(element, from: s, to: t)) }
            return .array(result)
        case (.map(let entries), .map(let sk, let sv), .map(let tk, let tv)):
            var result: [MapEntry] = []
            result.reserveCapacity(entries.count)
            for entry in entries {
                result.append(MapEntry(try cast(entry.key, from: sk, to: tk), try cast(entry.value, from: sv, to: tv)))
            }
            return .map(result)
        case (.struct(let values), .struct(let s), .struct(let t)):
            return .struct(try castStruct(values, s, t))
        default:
            throw cannotCoerce(source, target)
        }
    }

    static func castStruct(_ values: [Value], _ source: [DataType.StructField], _ target: [DataType.StructField])
        throws(RelationalError) -> [Value]
    {
        var result: [Value] = []
        result.reserveCapacity(target.count)
        for field in target {
            guard let index = source.firstIndex(where: { $0.name == field.name }), index < values.count else {
                result.append(.null)
                continue
            }
            result.append(try cast(values[index], from: source[index].type, to: field.type))
        }
        return result
    }
}
